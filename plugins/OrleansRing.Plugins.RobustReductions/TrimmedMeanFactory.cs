using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class TrimmedMeanFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "trimmed-mean",
        Kind = PluginKind.Defence,
        Description = "Coordinate-wise trimmed mean at each chunk's owner: drops the f largest and f smallest values of every coordinate.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Median,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("trimmed-mean", new TrimmedMeanRule(), ReductionSettings.From(parameters));
}
