using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

public sealed class ReplicaConsistencyFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "replica-consistency",
        Kind = PluginKind.Defence,
        Description = "After allgather replicas exchange per-chunk hashes; the first replica on a chunk's allgather path that differs from the owner names its predecessor as forger, and differing chunks are fetched from their owners.",
        Parameters = [PluginParameter.Bool("exclude", true, "a forger is excluded from the ring from the next iteration on")],
        Reference = RingDefenceReference.OrleansRing,
    };

    public IDefence Create(PluginParameters parameters) => new ReplicaConsistency(parameters.GetBool("exclude"));
}
