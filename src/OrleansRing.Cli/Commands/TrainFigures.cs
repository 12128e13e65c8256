namespace OrleansRing.Cli.Commands;

/// <summary>
/// One `bench train` measurement; <see cref="Ratio"/> = ring ÷ single process. With --compare,
/// <see cref="RingSamplesPerSecondWithoutPersistence"/> is the same ring with persistence off and
/// <see cref="PersistenceRatio"/> = ring ÷ that (below 1: what persistence costs). <see cref="Store"/> is the
/// store's endpoint, null with persistence off.
/// </summary>
public sealed record TrainFigures(
    int Workers,
    int BatchPerWorker,
    int Iterations,
    double RingSamplesPerSecond,
    double SingleProcessSamplesPerSecond,
    int SingleProcessThreads,
    double Ratio,
    string Persistence,
    string? Store,
    double? RingSamplesPerSecondWithoutPersistence,
    double? PersistenceRatio);
