namespace OrleansRing.Sweeps;

/// <summary>What a sweep run left behind: every experiment's record, in grid order.</summary>
public sealed record SweepOutcome(IReadOnlyList<SweepExperimentRecord> Experiments, int Skipped)
{
    public int Completed => Experiments.Count(e => e.State == SweepExperimentState.Completed);

    public int Diverged => Experiments.Count(e => e.State == SweepExperimentState.Diverged);

    public int Failed => Experiments.Count(e => e.State == SweepExperimentState.Failed);

    public int Unfinished => Experiments.Count(e => !e.IsFinished);
}
