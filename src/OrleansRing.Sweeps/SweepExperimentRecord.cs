namespace OrleansRing.Sweeps;

/// <summary>One experiment's line in sweep.json.</summary>
public sealed record SweepExperimentRecord
{
    public required string Id { get; init; }

    /// <summary>The settings that made this grid point, key → value.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public SweepExperimentState State { get; init; }

    public string? Error { get; init; }

    public double? FinalTestAccuracy { get; init; }

    public double? WallSeconds { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => State is SweepExperimentState.Completed or SweepExperimentState.Diverged or SweepExperimentState.Failed;
}
