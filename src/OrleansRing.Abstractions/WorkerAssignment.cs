namespace OrleansRing.Abstractions;

/// <summary>What the coordinator hands a worker: its place in the ring, the run's config and its data shard.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.worker-assignment")]
public sealed record WorkerAssignment
{
    [Id(0)] public required ExperimentConfig Config { get; init; }

    [Id(1)] public required int Rank { get; init; }

    /// <summary>Indices into the training set that this worker trains on.</summary>
    [Id(2)] public required int[] Shard { get; init; }

    /// <summary>Restore model and optimizer from this iteration's checkpoint (−1: start from the seed).</summary>
    [Id(3)] public long ResumeFromIteration { get; init; } = -1;

    /// <summary>How many times the ring has been rebuilt; chunks of another generation are stale and dropped.</summary>
    [Id(4)] public int Generation { get; init; }

    /// <summary>The ranks that run the attack (resolved by the coordinator), ascending.</summary>
    [Id(5)] public int[] AttackerRanks { get; init; } = [];

    /// <summary>The attack needs honest gradients: honest workers keep theirs for the attackers each iteration.</summary>
    [Id(6)] public bool ShareLocalGradients { get; init; }

    /// <summary>
    /// The ring's members as original ranks, in ring order (empty: all of 0..N−1). After exclusions the ring is smaller;
    /// a worker's place in it (its position) decides its chunks and neighbours.
    /// </summary>
    [Id(7)] public int[] Ring { get; init; } = [];
}
