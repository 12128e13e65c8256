namespace OrleansRing.Api.Contracts;

/// <summary>
/// Where a sweep (or a run: a sweep of one experiment) stands. <paramref name="State"/> is running, completed (every
/// experiment finished without failing; diverged counts as finished), failed, cancelled, or stopped (unfinished and
/// not running in this host: submit it again to resume). <paramref name="Figures"/> are the report's, relative to
/// <c>report/</c>, once it is drawn.
/// </summary>
public sealed record SweepStatusResponse(
    string Id,
    string Name,
    string Kind,
    string State,
    int Total,
    int Done,
    int Completed,
    int Diverged,
    int Failed,
    int Running,
    int Pending,
    double? ElapsedSeconds,
    double? EtaSeconds,
    string? Error,
    bool ReportReady,
    IReadOnlyList<string> Figures,
    IReadOnlyList<ExperimentStatusResponse> Experiments);
