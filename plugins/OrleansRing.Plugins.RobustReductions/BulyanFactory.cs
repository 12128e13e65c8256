using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class BulyanFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "bulyan",
        Kind = PluginKind.Defence,
        Description = "Bulyan at the chunk owners: n-2f contributions chosen by repeated Krum, then per coordinate the mean of the n-4f values closest to their median.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Bulyan,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("bulyan", new BulyanRule(), ReductionSettings.From(parameters));
}
