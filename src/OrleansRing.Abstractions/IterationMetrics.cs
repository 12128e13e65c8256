namespace OrleansRing.Abstractions;

/// <summary>One row of metrics.csv: training metrics are means over honest workers.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.iteration-metrics")]
public sealed record IterationMetrics
{
    [Id(0)] public required int Iteration { get; init; }

    [Id(1)] public required double Epoch { get; init; }

    [Id(2)] public required double TrainLoss { get; init; }

    [Id(3)] public required double TrainAccuracy { get; init; }

    [Id(4)] public required double Seconds { get; init; }

    /// <summary>The slowest worker's forward/backward time this iteration.</summary>
    [Id(5)] public required double ComputeSeconds { get; init; }

    /// <summary>The slowest worker's scatter-reduce + all-gather time this iteration.</summary>
    [Id(6)] public required double RingSeconds { get; init; }

    [Id(7)] public required long BytesSent { get; init; }

    [Id(8)] public double? TestLoss { get; init; }

    [Id(9)] public double? TestAccuracy { get; init; }

    [Id(10)] public bool? ReplicasIdentical { get; init; }

    /// <summary>All workers' defence bytes this iteration (see <see cref="IterationReport.DefenceBytesSent"/>).</summary>
    [Id(20)] public long DefenceBytesSent { get; init; }

    /// <summary>The slowest worker's time in the defence this iteration.</summary>
    [Id(21)] public double DefenceSeconds { get; init; }

    /// <summary>Distinct detections raised this iteration.</summary>
    [Id(22)] public int Detections { get; init; }

    /// <summary>Workers in the ring this iteration (N, or fewer after exclusions).</summary>
    [Id(23)] public int RingSize { get; init; }
}
