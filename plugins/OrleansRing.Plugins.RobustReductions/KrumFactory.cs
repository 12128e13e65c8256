using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class KrumFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "krum",
        Kind = PluginKind.Defence,
        Description = "Krum at the chunk owners: the contribution with the lowest sum of squared distances to its n-f-1 nearest, whole-vector distances assembled from per-chunk parts.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Krum,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("krum", new KrumRule(multi: false), ReductionSettings.From(parameters));
}
