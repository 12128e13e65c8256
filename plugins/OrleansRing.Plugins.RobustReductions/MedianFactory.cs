using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class MedianFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "median",
        Kind = PluginKind.Defence,
        Description = "Coordinate-wise median of the N contributions at each chunk's owner.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Median,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("median", new MedianRule(), ReductionSettings.From(parameters));
}
