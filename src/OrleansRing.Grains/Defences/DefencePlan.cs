using OrleansRing.Abstractions;
using OrleansRing.Grains.Attacks;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Grains.Defences;

/// <summary>The defence of one experiment as the coordinator resolves it: the plugin with every parameter's value.</summary>
public sealed record DefencePlan(string? Selection)
{
    public static DefencePlan None { get; } = new((string?)null);

    /// <summary>Validates the config's defence against the silo's plugins; bad input is an <see cref="ArgumentException"/> that lists what is valid.</summary>
    public static DefencePlan Resolve(ExperimentConfig config, PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        if (config.Defence is null)
        {
            return None;
        }
        try
        {
            var selection = PluginSelection.Parse(config.Defence);
            var parameters = catalog.Bind(selection, Plugins.Abstractions.PluginKind.Defence);
            using var probe = catalog.CreateDefence(selection);
            var text = parameters.ToString();
            return new DefencePlan(text.Length == 0 ? selection.Name : $"{selection.Name}:{text}");
        }
        catch (Exception ex) when (ex is PluginSelectionException or PluginFailureException)
        {
            // Not chained: the plugin host's exception types do not cross silos.
            throw new ArgumentException($"defence: {ex.Message}");
        }
    }

    /// <summary>What the defence declares it adds per worker and iteration for a ring of <paramref name="workers"/> over <paramref name="length"/> values.</summary>
    public long DeclaredExtraBytes(PluginCatalogProvider plugins, int workers, int length)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        if (Selection is null)
        {
            return 0;
        }
        using var defence = plugins.CreateDefence(Selection);
        return defence.ExtraBytesPerIteration(workers, length);
    }
}
