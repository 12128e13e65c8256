using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansRing.Abstractions;

namespace OrleansRing.Sweeps;

/// <summary>
/// Runs a sweep's experiments on a cluster, at most <see cref="MaxParallel"/> at once, skipping those the results
/// folder already has. One experiment failing (rejected, crashed, diverged) is recorded and the others go on; only
/// losing the cluster itself stops the sweep, leaving the unfinished experiments to a rerun.
/// </summary>
public sealed class SweepRunner(IGrainFactory grains, SweepFolder folder)
{
    public int MaxParallel { get; init; } = 1;

    /// <summary>Run failed experiments again, from scratch, instead of keeping their failure (recorded here or on the cluster).</summary>
    public bool RetryFailed { get; init; }

    public ExperimentDriver Driver { get; init; } = new(grains);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Called once an experiment's result is in its folder (e.g. to fetch its timeline); a failure here is reported, not fatal.</summary>
    public Func<SweepExperiment, string, CancellationToken, Task>? OnFinished { get; init; }

    public async Task<SweepOutcome> RunAsync(SweepDefinition sweep, IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (MaxParallel < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParallel), MaxParallel, "At least one experiment must run at a time.");
        }
        if (File.Exists(sweep.SourcePath))
        {
            folder.SaveSweepFile(sweep.SourcePath);
        }
        if (RetryFailed)
        {
            foreach (var experiment in sweep.Experiments)
            {
                folder.ClearFailure(experiment.Id);
            }
        }
        var records = sweep.Experiments.Select(folder.Inspect).ToArray();
        var skipped = records.Count(r => r.IsFinished);
        var index = sweep.Experiments.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var running = new ConcurrentDictionary<string, RunningExperiment>();
        var durations = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var gate = new Lock();

        void Save()
        {
            lock (gate)
            {
                folder.SaveState(new SweepStateDocument { Name = sweep.Name, Description = sweep.Description, AxisKeys = sweep.AxisKeys, Experiments = [.. records] });
            }
        }

        void Update(string id, Func<SweepExperimentRecord, SweepExperimentRecord> change)
        {
            lock (gate)
            {
                records[index[id]] = change(records[index[id]]);
            }
            Save();
        }

        SweepProgress Snapshot()
        {
            SweepExperimentRecord[] copy;
            lock (gate)
            {
                copy = [.. records];
            }
            var inFlight = running.Values.OrderBy(r => index[r.Id]).ToList();
            return new SweepProgress(
                copy.Length,
                copy.Count(r => r.State == SweepExperimentState.Completed),
                copy.Count(r => r.State == SweepExperimentState.Diverged),
                copy.Count(r => r.State == SweepExperimentState.Failed),
                skipped,
                inFlight,
                clock.Elapsed,
                Remaining(copy.Count(r => !r.IsFinished) - inFlight.Count, inFlight, durations, clock.Elapsed));
        }

        Save();
        var pending = Channel.CreateUnbounded<SweepExperiment>();
        foreach (var experiment in sweep.Experiments.Where(e => !records[index[e.Id]].IsFinished))
        {
            pending.Writer.TryWrite(experiment);
        }
        pending.Writer.Complete();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportAsync(progress, Snapshot, stop.Token);
        async Task Lane()
        {
            await foreach (var experiment in pending.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var started = Stopwatch.StartNew();
                var label = Label(sweep, experiment);
                running[experiment.Id] = new RunningExperiment(experiment.Id, label, 0, 0, null);
                Update(experiment.Id, r => r with { State = SweepExperimentState.Running, StartedAt = DateTimeOffset.UtcNow, Error = null });
                try
                {
                    ExperimentStatus status;
                    try
                    {
                        status = await Driver.StartOrAttachAsync(experiment.Config, RetryFailed, stop.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!IsClusterTrouble(ex))
                    {
                        // The cluster refused or could not start this experiment (bad data, bad plugin parameters):
                        // a property of the experiment, not of the cluster.
                        folder.WriteError(experiment.Id, ex.Message);
                        Update(experiment.Id, r => r with { State = SweepExperimentState.Failed, Error = ex.Message, FinishedAt = DateTimeOffset.UtcNow });
                        continue;
                    }
                    var result = await Driver.FollowAsync(experiment.Id, status, s =>
                        running[experiment.Id] = new RunningExperiment(experiment.Id, label, s.IterationsCompleted, s.TotalIterations, s.TrainLoss), stop.Token).ConfigureAwait(false);
                    folder.WriteResult(result);
                    if (OnFinished is not null)
                    {
                        await OnFinished(experiment, folder.ExperimentFolder(experiment.Id), stop.Token).ConfigureAwait(false);
                    }
                    durations.Add(started.Elapsed.TotalSeconds);
                    Update(experiment.Id, r => r with
                    {
                        State = SweepFolder.StateOf(result),
                        Error = result.Error,
                        FinalTestAccuracy = result.FinalTestAccuracy,
                        WallSeconds = result.WallSeconds,
                        FinishedAt = DateTimeOffset.UtcNow,
                    });
                }
                catch
                {
                    // Not finished: a rerun picks it up (attaching to it if the cluster kept it running).
                    Update(experiment.Id, r => r with { State = SweepExperimentState.Pending });
                    throw;
                }
                finally
                {
                    running.TryRemove(experiment.Id, out _);
                }
            }
        }

        var lanes = Enumerable.Range(0, Math.Min(MaxParallel, Math.Max(1, sweep.Experiments.Count))).Select(_ => Task.Run(Lane, stop.Token)).ToList();
        try
        {
            while (lanes.Count > 0)
            {
                var finished = await Task.WhenAny(lanes).ConfigureAwait(false);
                lanes.Remove(finished);
                if (finished.IsFaulted || finished.IsCanceled)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await Task.WhenAll(lanes.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                    await finished.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(false);
            progress?.Report(Snapshot());
            SummaryCsv.Write(folder.SummaryPath, sweep, records, folder);
        }
        return new SweepOutcome([.. records], skipped);
    }

    /// <summary>The cluster (not the experiment) is in trouble: stop the sweep and leave the experiment to a rerun.</summary>
    private static bool IsClusterTrouble(Exception ex) =>
        ex is OperationCanceledException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
            or ConnectionFailedException or GatewayTooBusyException;

    /// <summary>"attack=gradient-ascent workers=8": the axis values that tell this experiment from the others.</summary>
    public static string Label(SweepDefinition sweep, SweepExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(experiment);
        var parts = sweep.AxisKeys.Select(k => $"{k}={experiment.Value(k)}").ToList();
        return parts.Count == 0 ? experiment.Id : string.Join(' ', parts);
    }

    private async Task ReportAsync(IProgress<SweepProgress>? progress, Func<SweepProgress> snapshot, CancellationToken cancellationToken)
    {
        if (progress is null)
        {
            return;
        }
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                progress.Report(snapshot());
                await Task.Delay(ProgressInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The sweep ended; the caller reports the last snapshot.
        }
    }

    /// <summary>
    /// Mean time of the experiments finished in this run times what is left, spread over the lanes; before any
    /// has finished, extrapolated from the running ones' progress.
    /// </summary>
    private TimeSpan? Remaining(int waiting, IReadOnlyList<RunningExperiment> inFlight, ConcurrentBag<double> durations, TimeSpan elapsed)
    {
        var leftInFlight = inFlight.Sum(r => r.TotalIterations > 0 ? 1 - (double)r.IterationsCompleted / r.TotalIterations : 1);
        double mean;
        if (!durations.IsEmpty)
        {
            mean = durations.Average();
        }
        else
        {
            var done = inFlight.Sum(r => r.TotalIterations > 0 ? (double)r.IterationsCompleted / r.TotalIterations : 0);
            if (done <= 0)
            {
                return null;
            }
            mean = elapsed.TotalSeconds * inFlight.Count / done / Math.Max(1, inFlight.Count);
        }
        var lanes = Math.Max(1, Math.Min(MaxParallel, waiting + inFlight.Count));
        return TimeSpan.FromSeconds(mean * (waiting + leftInFlight) / lanes);
    }
}
