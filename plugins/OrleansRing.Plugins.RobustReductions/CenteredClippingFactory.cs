using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class CenteredClippingFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "centered-clipping",
        Kind = PluginKind.Defence,
        Description = "Centered clipping at the chunk owners: from the previous aggregate, add the mean of the contributions' offsets clipped to norm tau, iterations times.",
        Parameters = ReductionSettings.With(PluginParameter.Double("tau", 5.0, "clipping radius of the whole-vector offsets (fedlib default)", 1e-12), PluginParameter.Int("iterations", 5, "clipping iterations L (fedlib default)", 1, 100)),
        Reference = ReductionReference.CenteredClipping,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("centered-clipping", new CenteredClippingRule(parameters.GetInt("iterations"), parameters.GetDouble("tau")), ReductionSettings.From(parameters));
}
