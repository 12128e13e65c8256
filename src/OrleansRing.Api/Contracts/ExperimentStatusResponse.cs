namespace OrleansRing.Api.Contracts;

/// <summary>One experiment of a sweep: its settings (the axis values), state, progress while it runs, and outcome.</summary>
public sealed record ExperimentStatusResponse(
    string Id,
    string State,
    IReadOnlyDictionary<string, string> Settings,
    int? IterationsCompleted,
    int? TotalIterations,
    double? TrainLoss,
    double? FinalTestAccuracy,
    double? WallSeconds,
    string? Error);
