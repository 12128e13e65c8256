namespace OrleansRing.Sweeps;

/// <summary>Where one experiment of a sweep stands, as its results folder says.</summary>
public enum SweepExperimentState
{
    /// <summary>Not started by any client, or started by one that went away before it finished.</summary>
    Pending,
    Running,
    Completed,
    Diverged,
    Failed,
}
