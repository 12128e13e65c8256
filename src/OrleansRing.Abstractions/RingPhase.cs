namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.ring-phase")]
public enum RingPhase
{
    ScatterReduce = 0,
    AllGather = 1,

    /// <summary>A defence's direct exchange: a worker's raw chunk to the chunk's owner (replaces scatter-reduce for robust reductions).</summary>
    Contribution = 2,

    /// <summary>A defence's statistics round at the chunk owners: each owner's per-chunk statistics to every worker.</summary>
    Statistics = 3,

    /// <summary>A defence's commitment: the owner's hash of its reduced chunk, to every worker before allgather.</summary>
    Commitment = 4,

    /// <summary>A defence's replica attestation after allgather, to every worker.</summary>
    Attestation = 5,
}
