using OrleansRing.Abstractions;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Grains.Attacks;

/// <summary>The attack of one experiment as the coordinator resolves it: which plugin, with which parameters, run by which ranks.</summary>
public sealed record AttackPlan(string? Selection, IReadOnlyList<int> AttackerRanks, bool RequiresHonestGradients)
{
    public static AttackPlan None { get; } = new(null, [], false);

    /// <summary>Validates the config's attack against the silo's plugins; bad input is an <see cref="ArgumentException"/> that lists what is valid.</summary>
    public static AttackPlan Resolve(ExperimentConfig config, PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        if (config.Attack is null)
        {
            if (config.AttackerCount != 0 || config.AttackerRanks is not null)
            {
                throw new ArgumentException("attackers were given without an attack: add --attack NAME.");
            }
            return None;
        }
        try
        {
            var selection = PluginSelection.Parse(config.Attack);
            var parameters = catalog.Bind(selection, PluginKind.Attack);
            var plugin = catalog.Get(selection.Name, PluginKind.Attack);
            IReadOnlyList<int> ranks = config.AttackerRanks is { } explicitRanks
                ? AttackerPlacement.Explicit(config.Workers, ParseRanks(explicitRanks))
                : AttackerPlacement.Resolve(config.Workers, config.AttackerCount, config.AttackerSeed);
            if (ranks.Count == 0)
            {
                throw new ArgumentException($"attack {selection.Name} needs at least one attacker: give an attacker count or ranks.");
            }
            var text = parameters.ToString();
            return new AttackPlan(text.Length == 0 ? selection.Name : $"{selection.Name}:{text}", ranks, plugin.Descriptor.RequiresHonestGradients);
        }
        catch (Exception ex) when (ex is PluginSelectionException or FormatException or ArgumentOutOfRangeException)
        {
            // Not chained: the plugin host's exception types do not cross silos.
            throw new ArgumentException($"attack: {ex.Message}");
        }
    }

    private static IEnumerable<int> ParseRanks(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => int.TryParse(part, out var rank) ? rank : throw new FormatException($"attacker rank '{part}' is not a number (expected e.g. 1,5)."));
}
