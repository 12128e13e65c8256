namespace OrleansRing.Sweeps;

/// <summary>A snapshot for the live display: counts, the running experiments and an estimate of what is left.</summary>
public sealed record SweepProgress(
    int Total,
    int Completed,
    int Diverged,
    int Failed,
    int Skipped,
    IReadOnlyList<RunningExperiment> Running,
    TimeSpan Elapsed,
    TimeSpan? Remaining)
{
    public int Done => Completed + Diverged + Failed;

    public int Pending => Total - Done - Running.Count;
}
