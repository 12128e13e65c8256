using System.Runtime.CompilerServices;
using System.Net.ServerSentEvents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansRing.Abstractions;
using OrleansRing.Api.Contracts;
using OrleansRing.Hosting;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;
using OrleansRing.Telemetry;

namespace OrleansRing.Api;

/// <summary>
/// The sweeps this host runs for API clients, each in its own results folder under
/// <see cref="ApiOptions.ResultsFolder"/> named by its id (<see cref="SweepIdentity"/>). Submitting a sweep that
/// exists attaches to it: a running one is followed, a finished one is returned as it is, an unfinished one is
/// resumed, and the runner never repeats a finished experiment. Parsing, validation, running and reporting are the
/// sweep library's; this class only keeps track of which sweep runs where.
/// </summary>
public sealed partial class SweepJobs : IHostedService
{
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(15);

    private readonly IGrainFactory _grains;
    private readonly ApiOptions _options;
    private readonly TimelineRecorder _timeline;
    private readonly ILogger<SweepJobs> _logger;
    private readonly Dictionary<string, SweepJob> _jobs = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _submissions;

    public SweepJobs(IGrainFactory grains, ApiOptions options, TimelineRecorder timeline, ILogger<SweepJobs> logger)
    {
        _grains = grains;
        _options = options;
        _timeline = timeline;
        _logger = logger;
        _submissions = new SemaphoreSlim(options.MaxConcurrentSubmissions);
        Root = Path.GetFullPath(options.ResultsFolder);
        DataFolder = Path.GetFullPath(options.DataFolder ?? Directory.GetCurrentDirectory());
    }

    /// <summary>The folder holding one results folder per sweep id.</summary>
    public string Root { get; }

    public string DataFolder { get; }

    /// <summary>
    /// Parses, validates against the cluster and starts (or attaches to) a sweep, or a run when <paramref name="isRun"/>;
    /// with <paramref name="retryFailed"/>, a sweep that is not running runs its failed experiments again from scratch.
    /// </summary>
    /// <exception cref="SweepFileException">The text has problems, or the cluster would refuse an experiment; nothing runs.</exception>
    /// <exception cref="ApiLimitException">Too many submissions or sweeps at once.</exception>
    public async Task<SweepSubmission> SubmitAsync(string text, bool isRun, bool retryFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!await _submissions.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiLimitException($"{_options.MaxConcurrentSubmissions} submissions are being checked already (the limit, {ApiOptions.SectionName}:{nameof(ApiOptions.MaxConcurrentSubmissions)}); try again shortly.");
        }
        try
        {
            // The source path only anchors relative data paths (and is never a file that exists).
            var source = Path.Combine(DataFolder, isRun ? "submitted-run.yaml" : "submitted-sweep.yaml");
            var overrides = new SweepOverrides { MaxExperiments = _options.MaxExperiments };
            var sweep = isRun ? SweepFileParser.ParseRun(text, source, overrides) : SweepFileParser.Parse(text, source, overrides);
            ThrowIfDataOutsideDataFolder(sweep);
            var id = SweepIdentity.For(sweep);
            var kind = SweepStatus.KindOf(sweep.Name);
            if (RunningJob(id) is { } running)
            {
                return new SweepSubmission(id, kind, Attached: true, running.Sweep.Experiments.Count);
            }
            await SweepValidator.ThrowIfInvalidAsync(_grains, sweep, cancellationToken).ConfigureAwait(false);
            var capacity = await _grains.GetGrain<IClusterCapacityGrain>(0).GetCapacityAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var parallel = _options.MaxParallel > 0 ? _options.MaxParallel : capacity.ExperimentsAtOnce(sweep.Experiments.Max(e => e.Config.Workers));
            var folder = new SweepFolder(Path.Combine(Root, id));
            var existed = TryLoadState(folder) is not null;
            lock (_gate)
            {
                if (_jobs.TryGetValue(id, out var job) && job.State == SweepJobState.Running)
                {
                    return new SweepSubmission(id, kind, Attached: true, sweep.Experiments.Count);
                }
                if (existed && sweep.Experiments.All(e => folder.Inspect(e) is { IsFinished: true } r && !(retryFailed && r.State == SweepExperimentState.Failed)))
                {
                    _jobs.Remove(id); // finished: the folder says everything, and nothing runs again
                    return new SweepSubmission(id, kind, Attached: true, sweep.Experiments.Count);
                }
                var active = _jobs.Values.Count(j => j.State == SweepJobState.Running);
                if (active >= _options.MaxActiveSweeps)
                {
                    throw new ApiLimitException($"{active} sweeps are running in this host, the limit ({ApiOptions.SectionName}:{nameof(ApiOptions.MaxActiveSweeps)}); submit again when one has ended.");
                }
                Directory.CreateDirectory(folder.Root);
                var copy = Path.Combine(folder.Root, SweepFolder.SweepFileCopyName);
                Results.AtomicFile.WriteAllText(copy, text);
                var started = new SweepJob(id, kind, sweep with { SourcePath = copy }, folder);
                _jobs[id] = started;
                started.Completion = Task.Run(() => RunAsync(started, parallel, retryFailed), CancellationToken.None);
                LogSubmitted(_logger, id, sweep.Experiments.Count, parallel, existed);
                return new SweepSubmission(id, kind, Attached: existed, sweep.Experiments.Count);
            }
        }
        finally
        {
            _submissions.Release();
        }
    }

    /// <summary>The sweep's status, or null when this host has no sweep of that id.</summary>
    public SweepStatusResponse? Status(string id)
    {
        var folder = FolderOf(id);
        SweepJob? job;
        lock (_gate)
        {
            job = _jobs.GetValueOrDefault(id);
        }
        var state = folder is null ? null : TryLoadState(folder);
        return folder is null || (state is null && job is null) ? null : SweepStatus.From(id, folder, state, job);
    }

    /// <summary>Every sweep and run in the results folder, newest first.</summary>
    public IReadOnlyList<SweepStatusResponse> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return [.. new DirectoryInfo(Root).EnumerateDirectories()
            .OrderByDescending(d => d.CreationTimeUtc)
            .Select(d => Status(d.Name))
            .OfType<SweepStatusResponse>()];
    }

    /// <summary>The results folder of sweep <paramref name="id"/>, or null when the id is not one this host could have made.</summary>
    public SweepFolder? FolderOf(string id) =>
        IsSweepId(id) && Directory.Exists(Path.Combine(Root, id)) ? new SweepFolder(Path.Combine(Root, id)) : null;

    /// <summary>
    /// Stops a running sweep: its running experiments are cancelled on the cluster (they end failed, "cancelled: ..."),
    /// none is started after them, and the sweep ends cancelled. Null when there is no such sweep; a sweep that is not
    /// running is returned as it is.
    /// </summary>
    public async Task<SweepStatusResponse?> CancelAsync(string id, string reason)
    {
        if (RunningJob(id) is { } job)
        {
            job.RequestCancel(reason);
            var running = job.Progress?.Running.Select(r => r.Id) ?? [];
            var inFolder = TryLoadState(job.Folder)?.Experiments.Where(e => e.State == SweepExperimentState.Running).Select(e => e.Id) ?? [];
            foreach (var experimentId in running.Union(inFolder))
            {
                try
                {
                    await _grains.GetGrain<IRingCoordinatorGrain>(experimentId).CancelAsync(reason).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogCancelFailed(_logger, experimentId, ex.Message);
                }
            }
            await job.Stopping.CancelAsync().ConfigureAwait(false);
            await job.Completion.ConfigureAwait(false);
        }
        return Status(id);
    }

    /// <summary>The sweep's status now and after every change until it has ended: the server-sent-events stream.</summary>
    public async IAsyncEnumerable<SseItem<SweepStatusResponse>> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            SweepJob? job;
            lock (_gate)
            {
                job = _jobs.GetValueOrDefault(id);
            }
            // Take the wait before reading the status, so a change between the two is not missed.
            var changed = job?.WaitForChangeAsync(s_heartbeat, cancellationToken);
            if (Status(id) is not { } status)
            {
                yield break;
            }
            var ended = status.State != "running";
            yield return new SseItem<SweepStatusResponse>(status, ended ? "end" : "progress");
            if (ended || changed is null)
            {
                yield break;
            }
            await changed.ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping: stop following (the cluster keeps running experiments; a resubmission resumes them).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SweepJob[] jobs;
        lock (_gate)
        {
            jobs = [.. _jobs.Values];
        }
        foreach (var job in jobs)
        {
            job.RequestCancel("the host stopped");
            await job.Stopping.CancelAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(jobs.Select(j => j.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lowercase letters, digits and '-': what sweep names and hashes are made of, so never a path.</summary>
    public static bool IsSweepId(string id) =>
        id is { Length: > 0 and <= 80 } && char.IsAsciiLetterOrDigit(id[0]) && id.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c == '-');

    private SweepJob? RunningJob(string id)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(id, out var job) && job.State == SweepJobState.Running ? job : null;
        }
    }

    private async Task RunAsync(SweepJob job, int parallel, bool retryFailed)
    {
        var runner = new SweepRunner(_grains, job.Folder)
        {
            MaxParallel = parallel,
            RetryFailed = retryFailed,
            // Silos that record timelines: keep each experiment's, as `sweep run --timelines` does.
            OnFinished = _timeline.IsEnabled
                ? async (experiment, experimentFolder, _) =>
                {
                    if (await ExperimentTimeline.TryWriteAsync(_grains, experiment.Id, Path.Combine(experimentFolder, SweepReport.TimelineFileName)).ConfigureAwait(false) is { } error)
                    {
                        LogNoTimeline(_logger, experiment.Id, error);
                    }
                }
                : null,
            Driver = new ExperimentDriver(_grains) { OnUnreachable = (id, ex) => LogUnreachable(_logger, id, ex.Message) },
        };
        SweepJobState state;
        string? error = null;
        try
        {
            var outcome = await runner.RunAsync(job.Sweep, job, job.Stopping.Token).ConfigureAwait(false);
            state = outcome.Failed > 0 || outcome.Unfinished > 0 ? SweepJobState.Failed : SweepJobState.Completed;
        }
        catch (OperationCanceledException) when (job.Stopping.IsCancellationRequested)
        {
            state = SweepJobState.Cancelled;
            error = $"cancelled: {job.CancelReason}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The cluster was lost or the folder cannot be written: the sweep stops; a resubmission resumes it.
            state = SweepJobState.Failed;
            error = ex.Message;
            LogSweepFailed(_logger, ex, job.Id);
        }
        try
        {
            if (TryLoadState(job.Folder)?.Experiments.Any(e => e.IsFinished) == true)
            {
                SweepReport.Write(job.Folder);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogNoReport(_logger, job.Id, ex.Message);
        }
        job.End(state, error);
        LogEnded(_logger, job.Id, state, error ?? "");
    }

    /// <summary>
    /// A submitted file reads data only below <see cref="DataFolder"/>: a client must not make the silos open (or
    /// report on) any other path of their file system.
    /// </summary>
    private void ThrowIfDataOutsideDataFolder(SweepDefinition sweep)
    {
        var inside = DataFolder.EndsWith(Path.DirectorySeparatorChar) ? DataFolder : DataFolder + Path.DirectorySeparatorChar;
        var problems = sweep.Experiments
            .Where(e => e.Config.Data.Path is { } path && !Path.GetFullPath(path).StartsWith(inside, StringComparison.Ordinal))
            .Select(e => e.Settings.FirstOrDefault(s => s.Key == "data"))
            .Distinct()
            .Select(s => new SweepProblem(sweep.SourcePath, s?.Location ?? new SourceLocation(1, 1), $"data '{s?.Value}' lies outside this host's data folder; over the API, data paths are relative to {ApiOptions.SectionName}:{nameof(ApiOptions.DataFolder)}.", "data"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new SweepFileException(problems);
        }
    }

    private static SweepStateDocument? TryLoadState(SweepFolder folder)
    {
        try
        {
            return folder.TryLoadState();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: {Experiments} experiments, {Parallel} at a time (resumed: {Resumed})")]
    private static partial void LogSubmitted(ILogger logger, string sweepId, int experiments, int parallel, bool resumed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ended {State} {Error}")]
    private static partial void LogEnded(ILogger logger, string sweepId, SweepJobState state, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {SweepId} stopped")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: no report ({Reason})")]
    private static partial void LogNoReport(ILogger logger, string sweepId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: no timeline ({Reason})")]
    private static partial void LogNoTimeline(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: coordinator unreachable ({Reason}); retrying")]
    private static partial void LogUnreachable(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: cancel not delivered ({Reason})")]
    private static partial void LogCancelFailed(ILogger logger, string experimentId, string reason);
}
