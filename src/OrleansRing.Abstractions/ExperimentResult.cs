namespace OrleansRing.Abstractions;

/// <summary>The outcome of one experiment, as written to result.json.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.experiment-result")]
public sealed record ExperimentResult
{
    [Id(0)] public required ExperimentConfig Config { get; init; }

    [Id(1)] public required ExperimentState State { get; init; }

    [Id(2)] public string? Error { get; init; }

    [Id(3)] public required string Dataset { get; init; }

    [Id(4)] public required bool SyntheticData { get; init; }

    [Id(5)] public required int ParameterCount { get; init; }

    [Id(6)] public required int TotalIterations { get; init; }

    [Id(7)] public required IReadOnlyList<IterationMetrics> Iterations { get; init; }

    /// <summary>SHA-256 of each worker's parameters after the last iteration, by rank (attackers included); <see cref="ReplicasIdentical"/> compares the honest ones.</summary>
    [Id(8)] public required IReadOnlyList<string> ParameterHashes { get; init; }

    [Id(9)] public required bool ReplicasIdentical { get; init; }

    [Id(10)] public double? FinalTestAccuracy { get; init; }

    [Id(11)] public double? FinalTestLoss { get; init; }

    [Id(12)] public required double WallSeconds { get; init; }

    /// <summary>Payload bytes each worker sent over the whole run, by rank.</summary>
    [Id(13)] public required IReadOnlyList<long> BytesSentPerWorker { get; init; }

    [Id(14)] public required int TrainSamples { get; init; }

    [Id(15)] public required int TestSamples { get; init; }

    [Id(16)] public IReadOnlyList<RecoveryEvent> Recoveries { get; init; } = [];

    /// <summary>The attack as run, with every parameter's value (null: none).</summary>
    [Id(17)] public string? Attack { get; init; }

    [Id(18)] public IReadOnlyList<int> AttackerRanks { get; init; } = [];

    /// <summary>The attack read honest workers' gradients (an omniscient, colluding attacker).</summary>
    [Id(19)] public bool OmniscientAttack { get; init; }

    /// <summary>The defence as run, with every parameter's value (null: the plain ring).</summary>
    [Id(20)] public string? Defence { get; init; }

    /// <summary>Every suspect a defence named, once per (iteration, rank, reason).</summary>
    [Id(21)] public IReadOnlyList<DefenceDetection> Detections { get; init; } = [];

    /// <summary>Workers the coordinator removed from the ring, in order.</summary>
    [Id(22)] public IReadOnlyList<ExclusionEvent> Exclusions { get; init; } = [];

    /// <summary>Measured: bytes the defence sent per worker per iteration beyond what the plain ring sends (statistics, commitments, attestations, repairs).</summary>
    [Id(23)] public double DefenceExtraBytesPerWorkerPerIteration { get; init; }

    /// <summary>What the defence declares it adds per worker per iteration for the full ring when nothing is detected.</summary>
    [Id(24)] public long DeclaredDefenceExtraBytesPerWorkerPerIteration { get; init; }

    /// <summary>Sum over iterations of the slowest worker's time in defence hooks and defence-only exchanges.</summary>
    [Id(25)] public double DefenceSeconds { get; init; }

    /// <summary>Ranks a defence named that are not attackers (false detections), ascending.</summary>
    [Id(26)] public IReadOnlyList<int> HonestRanksNamed { get; init; } = [];

    /// <summary>The iteration whose training loss was non-finite or above the bound (null: did not diverge).</summary>
    [Id(40)] public int? DivergedAtIteration { get; init; }
}
