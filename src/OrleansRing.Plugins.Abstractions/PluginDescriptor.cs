namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// What a plugin is: its kebab-case name (the word after <c>--attack</c> or <c>--defence</c>), kind, description and typed parameters.
/// The host validates it when the plugin loads.
/// </summary>
public sealed class PluginDescriptor
{
    /// <summary>Kebab-case, unique across all loaded plugins, e.g. <c>gradient-flipping</c>.</summary>
    public required string Name { get; init; }

    public required PluginKind Kind { get; init; }

    /// <summary>One sentence: what it does and how (shown in help and in <c>docs/plugins.md</c>).</summary>
    public required string Description { get; init; }

    public IReadOnlyList<PluginParameter> Parameters { get; init; } = [];

    /// <summary>
    /// The attack is omniscient (ALIE, IPM, Min-Max...): the worker must pass the honest workers' gradients of the
    /// iteration in <see cref="ContributionContext.HonestGradients"/>. Colluding attackers all receive them.
    /// </summary>
    public bool RequiresHonestGradients { get; init; }

    /// <summary>Where the definition comes from, e.g. <c>Baruch et al., NeurIPS 2019</c>.</summary>
    public string? Reference { get; init; }

    public PluginParameter? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}
