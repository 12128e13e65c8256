namespace OrleansRing.Cli.Commands;

/// <summary>One `bench train` measurement; <see cref="Ratio"/> = ring ÷ single process.</summary>
public sealed record TrainFigures(
    int Workers,
    int BatchPerWorker,
    int Iterations,
    double RingSamplesPerSecond,
    double SingleProcessSamplesPerSecond,
    int SingleProcessThreads,
    double Ratio);
