using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class AverageFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "average",
        Kind = PluginKind.Defence,
        Description = "The plain mean at the chunk owners, for pre-aggregations (pre=clip is static clipping, pre=arc ARC, pre=nnm NNM) and outlier detection (flag-after, exclude) without a robust rule.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Average,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("average", new AverageRule(), ReductionSettings.From(parameters));
}
