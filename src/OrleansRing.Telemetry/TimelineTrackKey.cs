namespace OrleansRing.Telemetry;

/// <summary>Which recorded spans belong together: one experiment's rank, or its coordinator (<see cref="CoordinatorRank"/>).</summary>
internal readonly record struct TimelineTrackKey(string ExperimentId, int Rank)
{
    public const int CoordinatorRank = -1;

    public TimelineTrack Track => Rank == CoordinatorRank ? TimelineTrack.Coordinator : TimelineTrack.ForRank(Rank);
}
