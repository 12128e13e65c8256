namespace OrleansRing.Cli.Commands;

/// <summary>One run of `bench defences`: a defence (or none) against an attack (or none), where momentum lived, and what it measured.</summary>
public sealed record DefenceCell(
    string Defence,
    string Attack,
    string ExperimentId,
    string State,
    double? TestAccuracy,
    int Iterations,
    double SecondsPerIteration,
    double ExtraBytesPerWorkerPerIteration,
    long DeclaredExtraBytesPerWorkerPerIteration,
    double PlainBytesPerWorkerPerIteration,
    double DefenceSecondsPerIteration,
    int Detections,
    IReadOnlyList<int> RanksNamed,
    IReadOnlyList<int> HonestRanksNamed,
    IReadOnlyList<int> AttackerRanks,
    IReadOnlyList<int> Excluded,
    bool ReplicasIdentical,
    string? Error,
    string MomentumAt = "replica");
