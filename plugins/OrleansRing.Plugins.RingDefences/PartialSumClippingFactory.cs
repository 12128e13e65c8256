using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

public sealed class PartialSumClippingFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "partial-sum-clipping",
        Kind = PluginKind.Defence,
        Description = "Clips every received scatter-reduce partial sum of k contributors to multiplier*k times the receiver's own chunk norm (the larger of its running average and its current value), flagging a sender far above it.",
        Parameters =
        [
            PluginParameter.Double("multiplier", 3.0, "bound per contributor, in units of the receiver's own chunk norm", 1e-6),
            PluginParameter.Double("decay", 0.9, "weight of the previous running average (0: the current iteration's own norm only)", 0, 0.999999),
            PluginParameter.Double("flag-factor", 2.0, "flag the sender only when the norm exceeds this many times the bound (clipping starts at the bound)", 1.0),
            PluginParameter.Bool("exclude", false, "flags ask the coordinator to exclude the sender"),
        ],
        Reference = RingDefenceReference.OrleansRing,
    };

    public IDefence Create(PluginParameters parameters) =>
        new PartialSumClipping(parameters.GetDouble("multiplier"), parameters.GetDouble("decay"), parameters.GetDouble("flag-factor"), parameters.GetBool("exclude"));
}
