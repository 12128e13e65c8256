using OrleansRing.Api.Contracts;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;

namespace OrleansRing.Api;

/// <summary>
/// A sweep's status from what is on disk (sweep.json, the report) and, while it runs here, the runner's live
/// progress (iterations, ETA). The folder is the truth; the job only adds what is in flight.
/// </summary>
public static class SweepStatus
{
    public static SweepStatusResponse From(string id, SweepFolder folder, SweepStateDocument? state, SweepJob? job)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var records = state?.Experiments ?? [];
        var progress = job?.State == SweepJobState.Running ? job.Progress : null;
        var inFlight = progress?.Running.ToDictionary(r => r.Id) ?? [];
        var experiments = records.Select(r =>
        {
            var running = inFlight.GetValueOrDefault(r.Id);
            var name = running is not null ? "running" : r.State == SweepExperimentState.Running && job?.State != SweepJobState.Running ? "pending" : Word(r.State);
            return new ExperimentStatusResponse(r.Id, name, r.Settings, running?.IterationsCompleted, running?.TotalIterations, running?.TrainLoss, r.FinalTestAccuracy, r.WallSeconds, r.Error);
        }).ToList();
        var completed = records.Count(r => r.State == SweepExperimentState.Completed);
        var diverged = records.Count(r => r.State == SweepExperimentState.Diverged);
        var failed = records.Count(r => r.State == SweepExperimentState.Failed);
        var total = job?.Sweep.Experiments.Count ?? records.Count;
        var done = completed + diverged + failed;
        var runningCount = experiments.Count(e => e.State == "running");
        var jobState = job?.State ?? (total > 0 && done == total ? (failed > 0 ? SweepJobState.Failed : SweepJobState.Completed) : SweepJobState.Stopped);
        var name = job?.Sweep.Name ?? state?.Name ?? id;
        var reportReady = jobState != SweepJobState.Running && File.Exists(Path.Combine(folder.ReportFolder, SweepReport.HtmlFileName));
        return new SweepStatusResponse(
            id,
            name,
            job?.Kind ?? KindOf(name),
            Word(jobState),
            total,
            done,
            completed,
            diverged,
            failed,
            runningCount,
            Math.Max(0, total - done - runningCount),
            job?.Progress?.Elapsed.TotalSeconds,
            progress?.Remaining?.TotalSeconds,
            job?.Error,
            reportReady,
            reportReady ? Figures(folder) : [],
            experiments);
    }

    public static string KindOf(string sweepName) => sweepName == SweepFileParser.RunName ? "run" : "sweep";

    /// <summary>The report's PNG figures, relative to its folder, with '/' separators (as URLs use them).</summary>
    private static List<string> Figures(SweepFolder folder) =>
        Directory.Exists(folder.ReportFolder)
            ? [.. Directory.EnumerateFiles(folder.ReportFolder, "*.png", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder.ReportFolder, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)]
            : [];

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
