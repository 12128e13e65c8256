using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class MultiKrumFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "multi-krum",
        Kind = PluginKind.Defence,
        Description = "Multi-Krum at the chunk owners: the mean of the n-f contributions with the lowest Krum scores (whole-vector distances from per-chunk parts).",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Krum,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("multi-krum", new KrumRule(multi: true), ReductionSettings.From(parameters));
}
