namespace OrleansRing.Abstractions;

/// <summary>A cheap progress snapshot for polling clients.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.experiment-status")]
public sealed record ExperimentStatus
{
    [Id(0)] public required ExperimentState State { get; init; }

    [Id(1)] public required int IterationsCompleted { get; init; }

    [Id(2)] public required int TotalIterations { get; init; }

    [Id(3)] public double? TrainLoss { get; init; }

    [Id(4)] public double? TrainAccuracy { get; init; }

    [Id(5)] public double? TestAccuracy { get; init; }

    [Id(6)] public string? Error { get; init; }

    [Id(7)] public double ElapsedSeconds { get; init; }
}
