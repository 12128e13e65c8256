namespace OrleansRing.Api;

/// <summary>Where a sweep submitted to this host stands; <see cref="Stopped"/>: unfinished and not running here.</summary>
public enum SweepJobState
{
    Running,
    Completed,
    Failed,
    Cancelled,
    Stopped,
}
