using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

public sealed class NonFiniteRejectionFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "non-finite-rejection",
        Kind = PluginKind.Defence,
        Description = "Every received chunk: NaN and infinite values become 0 and the sender is flagged.",
        Parameters = [PluginParameter.Bool("exclude", true, "flags ask the coordinator to exclude the sender from the ring")],
        Reference = RingDefenceReference.OrleansRing,
    };

    public IDefence Create(PluginParameters parameters) => new NonFiniteRejection(parameters.GetBool("exclude"));
}
