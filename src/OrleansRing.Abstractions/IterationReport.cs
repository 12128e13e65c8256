namespace OrleansRing.Abstractions;

/// <summary>A worker's account of one iteration: its local batch metrics and what the ring cost it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.iteration-report")]
public sealed record IterationReport
{
    [Id(0)] public required int Rank { get; init; }

    [Id(1)] public required long Iteration { get; init; }

    [Id(2)] public required double Loss { get; init; }

    [Id(3)] public required int Correct { get; init; }

    [Id(4)] public required int Samples { get; init; }

    [Id(5)] public required long BytesSent { get; init; }

    [Id(6)] public required double ComputeSeconds { get; init; }

    [Id(7)] public required double RingSeconds { get; init; }

    /// <summary>Payload bytes of the defence's own messages (statistics, commitments, attestations, repairs).</summary>
    [Id(20)] public long DefenceBytesSent { get; init; }

    /// <summary>Time in defence hooks and defence-only exchanges.</summary>
    [Id(21)] public double DefenceSeconds { get; init; }

    [Id(22)] public DefenceDetection[] Detections { get; init; } = [];

    /// <summary>
    /// SHA-256 (hex) of the state this rank checkpointed after the iteration; null when it took none or its state
    /// is its own alone (then it was stored in full).
    /// </summary>
    [Id(23)] public string? CheckpointStateHash { get; init; }

    /// <summary>The rank stored a reference to the ring's first rank's state instead of its own (see <c>CheckpointReference</c>).</summary>
    [Id(24)] public bool CheckpointIsReference { get; init; }
}
