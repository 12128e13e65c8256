namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// The hooks a defence instance wants called, i.e. where in the ring it runs. The worker skips the others and the
/// exchanges they would need, so a defence that only checks received chunks costs no extra message.
/// </summary>
[Flags]
public enum DefenceHooks
{
    /// <summary>No hook: the defence is inert (the plain ring).</summary>
    None = 0,

    /// <summary><see cref="IDefence.OnContribution"/>: the worker's own gradient, before the ring (every worker runs it).</summary>
    Contribution = 1,

    /// <summary><see cref="IDefence.OnReceive"/>: every chunk a worker receives, in every phase (check, clip, reject).</summary>
    Received = 2,

    /// <summary>
    /// <see cref="IDefence.Reduce"/>: the owner of each chunk reduces the N individual contributions to it instead of
    /// summing them. Scatter-reduce becomes a direct exchange: every worker sends its raw chunk c to the owner of c
    /// (the same bytes as scatter-reduce).
    /// </summary>
    Reduction = 4,

    /// <summary>
    /// <see cref="IDefence.Commit"/>: after the reduction, the owner of each chunk publishes a small commitment (a hash)
    /// to every worker; allgather receivers see it in <see cref="ReceiveContext.Commitments"/>.
    /// </summary>
    Commitments = 8,

    /// <summary><see cref="IDefence.OnAggregate"/>: the whole averaged gradient after allgather (validate, clip, threshold).</summary>
    Aggregate = 16,

    /// <summary>
    /// <see cref="IDefence.Attest"/> then <see cref="IDefence.CompareAttestations"/>: after allgather every worker publishes a
    /// digest of its replica to every other, and each compares all of them.
    /// </summary>
    ReplicaAttestation = 32,
}
