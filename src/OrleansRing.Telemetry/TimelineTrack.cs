namespace OrleansRing.Telemetry;

/// <summary>
/// One row of the timeline: a Chrome trace-event thread (<see cref="ProcessId"/>, <see cref="ThreadId"/>) named
/// by a <c>thread_name</c> metadata event. Workers are threads of process <see cref="TimelineDocument.WorkersProcessId"/>
/// with thread id = rank; the coordinator is thread 0 of process <see cref="TimelineDocument.CoordinatorProcessId"/>.
/// </summary>
public sealed record TimelineTrack(int ProcessId, int ThreadId, string Name)
{
    /// <summary>The worker's rank, or null for the coordinator's track.</summary>
    public int? Rank => ProcessId == TimelineDocument.WorkersProcessId ? ThreadId : null;

    public static TimelineTrack ForRank(int rank) => new(TimelineDocument.WorkersProcessId, rank, $"rank {rank}");

    public static TimelineTrack Coordinator { get; } = new(TimelineDocument.CoordinatorProcessId, 0, "coordinator");
}
