namespace OrleansRing.Abstractions;

/// <summary>How much training the cluster can do at once: active silos and the workers they compute concurrently.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.cluster-capacity")]
public sealed record ClusterCapacity
{
    [Id(0)] public required int ActiveSilos { get; init; }

    /// <summary>Workers computing at the same time, summed over the active silos.</summary>
    [Id(1)] public required int WorkerSlots { get; init; }

    /// <summary>Experiments of <paramref name="workersPerExperiment"/> workers that fit side by side without queueing compute.</summary>
    public int ExperimentsAtOnce(int workersPerExperiment) => Math.Max(1, WorkerSlots / Math.Max(1, workersPerExperiment));
}
