namespace OrleansRing.Abstractions;

/// <summary>A worker's part in `bench allreduce`: the ring without a model.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.allreduce-benchmark-assignment")]
public sealed record AllReduceBenchmarkAssignment
{
    [Id(0)] public required string ExperimentId { get; init; }

    [Id(1)] public required int Rank { get; init; }

    [Id(2)] public required int Workers { get; init; }

    [Id(3)] public required int Floats { get; init; }

    [Id(4)] public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Chunk persistence to measure (Off: the ring alone).</summary>
    [Id(5)] public ChunkPersistence Persistence { get; init; } = ChunkPersistence.Off;

    /// <summary>An attack (contribution or transmitted hooks) run by <see cref="AttackerRanks"/>, to test it on the bare ring.</summary>
    [Id(6)] public string? Attack { get; init; }

    [Id(7)] public int[] AttackerRanks { get; init; } = [];

    /// <summary>A defence run by every rank, to test it on the bare ring.</summary>
    [Id(20)] public string? Defence { get; init; }
}
