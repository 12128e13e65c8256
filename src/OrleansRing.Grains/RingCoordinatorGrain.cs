using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansRing.Abstractions;
using OrleansRing.Data;
using OrleansRing.Grains.Attacks;
using OrleansRing.Grains.Data;
using OrleansRing.Grains.Defences;
using OrleansRing.Grains.Persistence;
using OrleansRing.Grains.Ring;
using OrleansRing.Storage;
using OrleansRing.Telemetry;

namespace OrleansRing.Grains;

/// <summary>
/// Creates the ring for one experiment (ranks 0..N−1, successor (r + 1) mod N), hands every worker its
/// shard, then drives iterations: all workers run an iteration at once and the coordinator only waits
/// for their reports, which is the barrier between iterations. It never sees a gradient.
/// </summary>
/// <remarks>
/// Recovery: when an iteration fails because workers were lost (a silo died, a neighbour never
/// answered), the coordinator aborts the iteration everywhere, re-initialises every rank from the newest
/// checkpoint that all ranks completed (lost workers reactivate on surviving silos) and redoes the
/// iterations after it. Training is deterministic, so the final model is bit-identical to an undisturbed
/// run. The coordinator's own state is in the manifest document, so a coordinator whose silo died
/// resumes the same way when it is next called.
/// </remarks>
public sealed partial class RingCoordinatorGrain(
    IDatasetCatalog datasets,
    IChunkStore store,
    PluginCatalogProvider plugins,
    TimelineRecorder timeline,
    ILogger<RingCoordinatorGrain> logger) : Grain, IRingCoordinatorGrain
{
    private static readonly TimeSpan s_reinitializeTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_timelineWait = TimeSpan.FromMinutes(2);
    private const string TimelineDocumentName = "timeline.json";

    private readonly Stopwatch _clock = new();
    private List<IterationMetrics> _metrics = [];
    private List<RecoveryEvent> _recoveries = [];
    private ExperimentConfig? _config;
    private ExperimentState _state = ExperimentState.NotStarted;

    /// <summary>Workers were initialized and not yet released: until they are, the status still says running.</summary>
    private bool _holdsWorkers;
    private IWorkerGrain[] _workers = [];
    private int[][] _shards = [];
    private long[] _bytesSent = [];

    // _bytesSent after each checkpointed iteration still stored: re-run iterations must not be counted twice.
    private Dictionary<long, long[]> _bytesSentAtCheckpoints = [];
    private int _totalIterations;
    private int _parameterCount;
    private double _elapsedBefore;
    private LoadedDataset? _data;
    private string? _error;
    private ExperimentResult? _result;
    private double? _lastTestAccuracy;
    private AttackPlan _attack = AttackPlan.None;
    private int[] _honest = [];
    private Activity? _experimentSpan;
    private byte[]? _timeline;

    // Completed once the workers' timelines are gathered (or there is nothing to gather), at the end of a run.
    private readonly TaskCompletionSource _timelineGathered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int? _divergedAt;

    // Set by CancelAsync and kept in the manifest; the iteration loop checks it between iterations (a running
    // iteration is never torn apart), and a coordinator resumed on another silo ends the run at once.
    private string? _cancelReason;

    // Manifest writes one at a time, each of the state when it starts: a cancel's write never lands after a later one.
    private readonly SemaphoreSlim _manifestWrite = new(1, 1);

    // The run loop is not a request, so Orleans would let it outlive this activation (ended when the silo owning its
    // directory entry dies, on a graceful stop, a migration). Cancelled on deactivation: the loop stops touching the
    // workers and the manifest, which then belong to the next activation.
    private readonly CancellationTokenSource _activationEnding = new();
    private Task _runLoop = Task.CompletedTask;
    private DefencePlan _defence = DefencePlan.None;
    private int[] _ring = [];
    private List<DefenceDetection> _detections = [];
    private List<ExclusionEvent> _exclusions = [];

    private double Elapsed => _elapsedBefore + _clock.Elapsed.TotalSeconds;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        byte[]? bytes;
        try
        {
            // Fails fast when the store is down (no retrying for half a minute); StartAsync then reports it clearly.
            await store.EnsureReachableAsync(cancellationToken);
            bytes = await store.TryGetDocumentAsync(this.GetPrimaryKeyString(), CoordinatorManifest.DocumentName, cancellationToken);
        }
        catch (ArgumentException)
        {
            return; // Not an id the store accepts, so never persisted; StartAsync will say why.
        }
        catch (ChunkStoreException ex)
        {
            LogManifestUnreadable(logger, this.GetPrimaryKeyString(), ex.Message);
            return;
        }
        if (bytes is null)
        {
            return;
        }
        var manifest = CoordinatorManifest.FromBytes(bytes);
        _config = manifest.Config;
        _state = manifest.State;
        _error = manifest.Error;
        _totalIterations = manifest.TotalIterations;
        _parameterCount = manifest.ParameterCount;
        _metrics = manifest.Metrics;
        _bytesSent = manifest.BytesSent;
        _bytesSentAtCheckpoints = manifest.BytesSentAtCheckpoints;
        _recoveries = manifest.Recoveries;
        _elapsedBefore = manifest.ElapsedSeconds;
        _lastTestAccuracy = manifest.LastTestAccuracy;
        _result = manifest.Result;
        _ring = manifest.Ring;
        _detections = manifest.Detections;
        _exclusions = manifest.Exclusions;
        _cancelReason = manifest.CancelReason;
        if (_state != ExperimentState.Running)
        {
            _timelineGathered.TrySetResult(); // Ended under an earlier activation: its timeline is in the store, if anywhere.
        }
        if (_state == ExperimentState.Running)
        {
            // The previous activation died mid-run (its silo was lost): carry on from the last checkpoint.
            LogResuming(logger, _config.ExperimentId, _metrics.Count);
            _clock.Start();
            DelayDeactivation(TimeSpan.FromDays(1));
            _runLoop = ResumeAsync(_config);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_runLoop.IsCompleted)
        {
            LogDeactivatedMidRun(logger, _config!.ExperimentId, reason.ToString());
            await _activationEnding.CancelAsync();
            try
            {
                // Its awaits are cancelled, so it ends promptly; a manifest write under way lands before the next activation reads.
                await _runLoop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Deactivation's own time ran out; the loop has stopped issuing work all the same.
            }
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<ExperimentStatus> StartAsync(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ExperimentId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Coordinator {this.GetPrimaryKeyString()} was handed experiment {config.ExperimentId}.", nameof(config));
        }
        if (_config is not null)
        {
            // Starting the same experiment twice attaches to it; a different config under one id is a mistake.
            return _config == config
                ? await GetStatusAsync()
                : throw new InvalidOperationException($"Experiment {config.ExperimentId} was already started with a different configuration.");
        }
        ExperimentConfigValidator.ThrowIfInvalid(config);
        _attack = ResolveAttack(config);
        _defence = DefencePlan.Resolve(config, plugins.Catalog);

        _clock.Start();
        if (config.Persistence != ChunkPersistence.Off)
        {
            // A store that is down at the start fails the run at once, not at the first ring step.
            await store.EnsureReachableAsync();
        }
        _config = config;
        try
        {
            await PrepareRingAsync(config);
            await InitializeWorkersAsync(config, resumeFromIteration: -1, generation: 0);
        }
        catch (Exception ex)
        {
            Fail(ex);
            _timelineGathered.TrySetResult(); // Nothing ran: no timeline to wait for.
            throw;
        }

        _state = ExperimentState.Running;
        await SaveManifestAsync();
        DelayDeactivation(TimeSpan.FromDays(1));
        LogStarted(logger, config.ExperimentId, config.Workers, _totalIterations, _parameterCount);
        _runLoop = RunAsync(config, firstIteration: 0);
        return await GetStatusAsync();
    }

    public Task<ExperimentStatus> GetStatusAsync()
    {
        var last = _metrics.Count > 0 ? _metrics[^1] : null;
        return Task.FromResult(new ExperimentStatus
        {
            // A client that stops its silo as soon as the run ends must not race the release of the workers.
            State = _holdsWorkers && _state != ExperimentState.NotStarted ? ExperimentState.Running : _state,
            IterationsCompleted = _metrics.Count,
            TotalIterations = _totalIterations,
            TrainLoss = last?.TrainLoss,
            TrainAccuracy = last?.TrainAccuracy,
            TestAccuracy = _lastTestAccuracy,
            Error = _error,
            ElapsedSeconds = Elapsed,
        });
    }

    public Task<ExperimentResult?> GetResultAsync() => Task.FromResult(_result);

    public async Task<ExperimentStatus> ForgetFailedAttemptAsync(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Failed but still holding workers: the loop is releasing them, and the status still says running.
        if (_config is null || _state != ExperimentState.Failed || _holdsWorkers)
        {
            return await GetStatusAsync();
        }
        if (_config != config)
        {
            throw new InvalidOperationException($"Experiment {config.ExperimentId} failed under a different configuration; it is not retried with this one.");
        }
        // Deleted before this activation ends: the next one must find no manifest, or it would be this failure again.
        if (config.Persistence != ChunkPersistence.Off)
        {
            await store.DeleteExperimentAsync(config.ExperimentId);
        }
        LogForgotten(logger, config.ExperimentId, _error ?? "");
        // A fresh activation is a fresh attempt: no field of this one can leak into it.
        DeactivateOnIdle();
        return new ExperimentStatus { State = ExperimentState.NotStarted, IterationsCompleted = 0, TotalIterations = _totalIterations };
    }

    public async Task<ExperimentStatus> CancelAsync(string reason)
    {
        if (_state == ExperimentState.Running && _cancelReason is null)
        {
            _cancelReason = string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason;
            // Durable before it is acknowledged: if this silo is lost before the loop sees it, the resumed run ends too.
            await SaveManifestQuietlyAsync();
        }
        return await GetStatusAsync();
    }

    public async Task<byte[]> GetTimelineAsync()
    {
        var config = _config ?? throw new InvalidOperationException($"Experiment {this.GetPrimaryKeyString()} has not been started.");
        if (_state == ExperimentState.Running)
        {
            throw new InvalidOperationException($"Experiment {config.ExperimentId} is still running; its timeline is gathered when it ends.");
        }
        try
        {
            await _timelineGathered.Task.WaitAsync(s_timelineWait);
        }
        catch (TimeoutException)
        {
            LogTimelineIncomplete(logger, config.ExperimentId);
        }
        if (_timeline is null && config.Persistence != ChunkPersistence.Off)
        {
            try
            {
                _timeline = await store.TryGetDocumentAsync(config.ExperimentId, TimelineDocumentName);
            }
            catch (ChunkStoreException ex)
            {
                LogTimelineNotSaved(logger, config.ExperimentId, ex.Message);
            }
        }
        return _timeline ?? timeline.TakeFragment(config.ExperimentId, rank: null).ToJsonBytes();
    }

    private AttackPlan ResolveAttack(ExperimentConfig config) =>
        config.Attack is null && config.AttackerCount == 0 && config.AttackerRanks is null
            ? AttackPlan.None
            : AttackPlan.Resolve(config, plugins.Catalog);

    private async Task PrepareRingAsync(ExperimentConfig config)
    {
        if (ReferenceEquals(_attack, AttackPlan.None))
        {
            _attack = ResolveAttack(config);
        }
        if (ReferenceEquals(_defence, DefencePlan.None))
        {
            _defence = DefencePlan.Resolve(config, plugins.Catalog);
        }
        if (_ring.Length == 0)
        {
            _ring = [.. Enumerable.Range(0, config.Workers)];
        }
        _honest = [.. _ring.Where(r => !_attack.AttackerRanks.Contains(r))];
        _data = await datasets.GetAsync(config.Data);
        var train = _data.Split.Train;
        if (train.Count < config.Workers)
        {
            throw new ArgumentException($"{config.Workers} workers need at least {config.Workers} training images; {train.Count} available.");
        }
        _shards = config.Partition == PartitionScheme.Dirichlet
            ? DataPartitioner.Dirichlet(train.Labels, train.ClassCount, config.Workers, config.DirichletAlpha, config.DataSeed)
            : DataPartitioner.Iid(train.Count, config.Workers, config.DataSeed);
        if (_totalIterations == 0)
        {
            _totalIterations = config.Iterations > 0
                ? config.Iterations
                : Math.Max(1, (int)Math.Ceiling(config.Epochs * _shards.Average(s => s.Length) / config.BatchSize));
        }
        _workers = [.. Enumerable.Range(0, config.Workers).Select(rank => GrainFactory.GetGrain<IWorkerGrain>(WorkerKey.For(config.ExperimentId, rank)))];
        if (_bytesSent.Length != config.Workers)
        {
            _bytesSent = new long[config.Workers];
        }
    }

    private async Task InitializeWorkersAsync(ExperimentConfig config, long resumeFromIteration, int generation)
    {
        var counts = await Task.WhenAll(_ring.Select(rank => _workers[rank].InitializeAsync(AssignmentFor(config, rank, resumeFromIteration, generation))));
        if (counts.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"Workers built models of different sizes: {string.Join(", ", counts)}.");
        }
        _parameterCount = counts[0];
        _holdsWorkers = true;
    }

    private WorkerAssignment AssignmentFor(ExperimentConfig config, int rank, long resumeFromIteration, int generation) => new()
    {
        Config = config,
        Rank = rank,
        Shard = _shards[rank],
        ResumeFromIteration = resumeFromIteration,
        Generation = generation,
        AttackerRanks = [.. _attack.AttackerRanks],
        ShareLocalGradients = _attack.RequiresHonestGradients,
        Ring = [.. _ring],
    };

    /// <summary>How many times the ring was rebuilt (recoveries and exclusions): messages of older generations are stale.</summary>
    private int Generation => _recoveries.Count + _exclusions.Count;

    /// <summary>
    /// Collects the iteration's detections (each once) and removes every flagged worker a defence asked to exclude,
    /// rebuilding the ring of the others, which keep their models, for the next iteration. A ring never shrinks below
    /// two workers.
    /// </summary>
    private async Task ApplyDetectionsAsync(ExperimentConfig config, int iteration, IterationReport[] reports)
    {
        var fresh = reports.SelectMany(r => r.Detections)
            .Where(d => !_detections.Any(k => k.Iteration == d.Iteration && k.Rank == d.Rank && k.Reason == d.Reason))
            .GroupBy(d => (d.Rank, d.Reason))
            .Select(g => g.OrderBy(d => d.DetectedBy).First())
            .OrderBy(d => d.Rank)
            .ToList();
        _detections.AddRange(fresh);
        foreach (var detection in fresh)
        {
            RingMetrics.RecordDetection(config.ExperimentId, detection.Defence, detection.Rank);
        }
        var excluded = fresh.Where(d => d.Exclude && _ring.Contains(d.Rank)).GroupBy(d => d.Rank).Select(g => g.First()).ToList();
        if (excluded.Count == 0)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        foreach (var detection in excluded)
        {
            if (_ring.Length <= 2)
            {
                LogExclusionRefused(logger, config.ExperimentId, detection.Rank, _ring.Length);
                break;
            }
            using var exclusionSpan = RingTelemetry.StartExclusion(config.ExperimentId, timeline.Silo, iteration, detection.Rank, detection.Reason);
            _ring = [.. _ring.Where(r => r != detection.Rank)];
            _exclusions.Add(new ExclusionEvent { Iteration = iteration, Rank = detection.Rank, Reason = detection.Reason, RingSize = _ring.Length });
            LogExcluded(logger, config.ExperimentId, detection.Rank, iteration, detection.Reason);
            try
            {
                await _workers[detection.Rank].ReleaseAsync();
            }
            catch (Exception ex)
            {
                LogReleaseFailed(logger, ex, config.ExperimentId);
            }
        }
        _honest = [.. _ring.Where(r => !_attack.AttackerRanks.Contains(r))];
        await Task.WhenAll(_ring.Select(rank => _workers[rank].RebuildRingAsync(AssignmentFor(config, rank, iteration, Generation))));
        LogRingRebuilt(logger, config.ExperimentId, _ring.Length, clock.Elapsed.TotalSeconds);
    }

    private async Task ResumeAsync(ExperimentConfig config)
    {
        try
        {
            if (_cancelReason is { } why)
            {
                // Cancelled before the silo was lost: restoring the workers only to stop them would waste the cluster.
                throw Cancelled(why);
            }
            await PrepareRingAsync(config);
            var next = await RecoverAsync(config, _metrics.Count, "the coordinator's previous activation ended mid-run (its silo was lost, stopped, or it moved)");
            await RunAsync(config, next);
        }
        catch (Exception) when (_activationEnding.IsCancellationRequested)
        {
            // This activation is ending; the next one resumes from the manifest.
        }
        catch (Exception ex)
        {
            Fail(ex);
            await SaveManifestQuietlyAsync();
            await ReleaseWorkersAsync();
        }
    }

    private async Task RunAsync(ExperimentConfig config, int firstIteration)
    {
        // Ended (and gathered for the timeline) by ReleaseWorkersAsync, so that it is recorded before the workers' spans are taken.
        _experimentSpan = RingTelemetry.StartExperiment(
            config.ExperimentId, timeline.Silo, config.Workers, _totalIterations, config.Model.ToString(), config.Attack, resumed: firstIteration > 0 || _recoveries.Count > 0);
        var handedOver = false;
        try
        {
            string[] hashes = [];
            var agree = false;
            double? testLoss = null;
            var iteration = firstIteration;
            while (iteration < _totalIterations)
            {
                _activationEnding.Token.ThrowIfCancellationRequested();
                if (_cancelReason is { } why)
                {
                    // Not recoverable: the run ends here as failed, with what it has trained so far in its metrics.
                    throw Cancelled(why);
                }
                IterationReport[] reports;
                var clock = Stopwatch.StartNew();
                try
                {
                    reports = await RunIterationOnAllAsync(iteration);
                    await StoreDivergedCheckpointsAsync(config, iteration, reports);
                }
                catch (Exception ex) when (CanRecover(config, ex))
                {
                    iteration = await RecoverAsync(config, iteration, Describe(ex));
                    continue;
                }
                foreach (var report in reports)
                {
                    _bytesSent[report.Rank] += report.BytesSent;
                }
                if (config.CheckpointsAfter(iteration))
                {
                    _bytesSentAtCheckpoints[iteration] = [.. _bytesSent];
                }
                var ringSize = _ring.Length;
                var detectionsBefore = _detections.Count;
                await ApplyDetectionsAsync(config, iteration, reports);
                var honest = reports.Where(r => !_attack.AttackerRanks.Contains(r.Rank)).ToList();
                var samples = honest.Sum(r => r.Samples);
                var row = new IterationMetrics
                {
                    Iteration = iteration,
                    Epoch = (iteration + 1) * (double)config.BatchSize * config.Workers / _data!.Split.Train.Count,
                    TrainLoss = honest.Sum(r => r.Loss * r.Samples) / samples,
                    TrainAccuracy = honest.Sum(r => (double)r.Correct) / samples,
                    Seconds = clock.Elapsed.TotalSeconds,
                    ComputeSeconds = reports.Max(r => r.ComputeSeconds),
                    RingSeconds = reports.Max(r => r.RingSeconds),
                    BytesSent = reports.Sum(r => r.BytesSent),
                    DefenceBytesSent = reports.Sum(r => r.DefenceBytesSent),
                    DefenceSeconds = reports.Max(r => r.DefenceSeconds),
                    Detections = _detections.Count - detectionsBefore,
                    RingSize = ringSize,
                };
                var diverged = IsDiverged(config, row.TrainLoss);
                var last = diverged || iteration == _totalIterations - 1;
                // Counted before the evaluation, so that a recovery during it may resume from this iteration's checkpoint.
                _metrics.Add(row);
                if (last || (iteration + 1) % config.EvaluationInterval == 0)
                {
                    var (evaluation, next) = await EvaluateRecoveringAsync(config, iteration);
                    if (evaluation is null)
                    {
                        iteration = next; // restored to an older checkpoint: the iterations since are run again
                        continue;
                    }
                    (hashes, agree, testLoss, _lastTestAccuracy) = evaluation.Value;
                    row = row with { TestLoss = testLoss, TestAccuracy = _lastTestAccuracy, ReplicasIdentical = agree };
                    _metrics[^1] = row;
                }
                RingMetrics.RecordIteration(config.ExperimentId, row.Seconds, row.TrainLoss, row.TestAccuracy);
                if (diverged)
                {
                    _divergedAt = iteration;
                    break;
                }
                await SaveManifestAsync();
                await ApplyRetentionAsync(config, finished: false);
                iteration++;
            }
            _activationEnding.Token.ThrowIfCancellationRequested();
            _clock.Stop();
            _state = _divergedAt is null ? ExperimentState.Completed : ExperimentState.Diverged;
            _result = BuildResult(config, hashes, agree, testLoss);
            await ApplyRetentionAsync(config, finished: true);
            await SaveManifestAsync();
            LogCompleted(logger, config.ExperimentId, _lastTestAccuracy ?? double.NaN, Elapsed);
        }
        catch (Exception) when (_activationEnding.IsCancellationRequested)
        {
            handedOver = true;
        }
        catch (Exception ex)
        {
            Fail(ex);
            await SaveManifestQuietlyAsync();
        }
        finally
        {
            if (handedOver)
            {
                // This activation is ending: the run, its workers and its manifest are the next activation's.
                _experimentSpan?.Dispose();
                _experimentSpan = null;
            }
            else
            {
                await ReleaseWorkersAsync();
            }
        }
    }

    /// <summary>
    /// Runs one iteration on every worker. The first failure aborts the iteration everywhere, so the others
    /// do not sit out their step timeouts waiting for a broken neighbour; the error reported is a
    /// non-recoverable one if any worker had one (it says what really went wrong), else the first.
    /// </summary>
    private async Task<IterationReport[]> RunIterationOnAllAsync(int iteration)
    {
        using var span = RingTelemetry.StartIteration(_config!.ExperimentId, timeline.Silo, iteration, _recoveries.Count);
        var running = _ring.Select(rank => _workers[rank].RunIterationAsync(iteration)).ToList();
        var pending = new List<Task<IterationReport>>(running);
        Exception? first = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(_activationEnding.Token);
            pending.Remove(done);
            if (done.IsFaulted && first is null)
            {
                first = done.Exception!.GetBaseException();
                await AbortIterationAsync(iteration);
            }
        }
        if (first is null)
        {
            return [.. running.Select(t => t.Result)];
        }
        var failures = running.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException()).ToList();
        var failure = failures.FirstOrDefault(f => f is NonRecoverableRingException) ?? first;
        RingTelemetry.Failed(span, failure);
        throw failure;
    }

    /// <summary>
    /// Has every rank that checkpointed a reference to the holder's state, but whose own state hashed differently
    /// (replicas that diverged, e.g. under a forged all-gather), store its own state, so that every checkpoint of
    /// the iteration restores its rank exactly. An agreeing ring costs nothing here.
    /// </summary>
    private async Task StoreDivergedCheckpointsAsync(ExperimentConfig config, int iteration, IterationReport[] reports)
    {
        var holder = reports.FirstOrDefault(r => r.CheckpointStateHash is not null && !r.CheckpointIsReference);
        var diverged = reports.Where(r => r.CheckpointIsReference && r.CheckpointStateHash != holder?.CheckpointStateHash).Select(r => r.Rank).ToList();
        if (diverged.Count == 0)
        {
            return;
        }
        LogCheckpointsDiverged(logger, config.ExperimentId, iteration, string.Join(',', diverged));
        await Task.WhenAll(diverged.Select(rank => _workers[rank].SaveOwnCheckpointAsync(iteration)));
    }

    private async Task AbortIterationAsync(int iteration) =>
        await Task.WhenAll(_ring.Select(rank => _workers[rank]).Select(async w =>
        {
            try
            {
                await w.AbortIterationAsync(iteration).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // A lost worker cannot be told; recovery re-creates it.
            }
        }));

    /// <summary>
    /// Evaluates the ring after <paramref name="iteration"/>, recovering from a worker lost meanwhile (its silo died
    /// between the iteration and the evaluation) as from one lost during an iteration. No evaluation, and the next
    /// iteration to run, when the ring had to be restored to an older checkpoint than this iteration's.
    /// </summary>
    private async Task<((string[] Hashes, bool Agree, double Loss, double Accuracy)? Evaluation, int Next)> EvaluateRecoveringAsync(ExperimentConfig config, int iteration)
    {
        while (true)
        {
            try
            {
                return (await EvaluateAsync(), iteration + 1);
            }
            catch (Exception ex) when (CanRecover(config, ex))
            {
                var next = await RecoverAsync(config, iteration, $"evaluating after the iteration: {Describe(ex)}", newestCheckpoint: iteration);
                if (next != iteration + 1)
                {
                    return (null, next);
                }
            }
        }
    }

    /// <summary>Whether a failure of the ring is one to recover from: a lost worker or silo, with recoveries left, checkpoints to resume from, and this activation not ending.</summary>
    private bool CanRecover(ExperimentConfig config, Exception ex) =>
        !_activationEnding.IsCancellationRequested && IsRecoverable(ex) && _recoveries.Count < config.MaxRecoveries && config.Persistence != ChunkPersistence.Off;

    /// <summary>
    /// Restores every rank to the newest complete checkpoint before <paramref name="failedIteration"/> (at
    /// <paramref name="newestCheckpoint"/> at most, when given); returns the next iteration to run.
    /// </summary>
    private async Task<int> RecoverAsync(ExperimentConfig config, int failedIteration, string reason, int? newestCheckpoint = null)
    {
        _activationEnding.Token.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        LogRecovering(logger, config.ExperimentId, failedIteration, reason);
        await AbortIterationAsync(failedIteration);

        var resumeFrom = await NewestCompleteCheckpointAsync(config, newestCheckpoint ?? failedIteration - 1);
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await InitializeWorkersAsync(config, resumeFrom, generation: Generation + 1).WaitAsync(_activationEnding.Token);
                break;
            }
            catch (Exception ex) when (!_activationEnding.IsCancellationRequested && IsRecoverable(ex) && clock.Elapsed < s_reinitializeTimeout)
            {
                // Membership may not have declared the dead silo yet; calls to its workers fail until it has.
                LogReinitializeRetry(logger, config.ExperimentId, Describe(ex));
                await Task.Delay(delay, _activationEnding.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        _metrics = [.. _metrics.Where(m => m.Iteration <= resumeFrom)];
        RollBackBytesSent(resumeFrom);
        _lastTestAccuracy = _metrics.LastOrDefault(m => m.TestAccuracy is not null)?.TestAccuracy;
        _recoveries.Add(new RecoveryEvent { FailedIteration = failedIteration, ResumedFromIteration = resumeFrom, Reason = reason, Seconds = clock.Elapsed.TotalSeconds });
        await SaveManifestAsync();
        LogRecovered(logger, config.ExperimentId, resumeFrom, clock.Elapsed.TotalSeconds);
        return (int)(resumeFrom + 1);
    }

    /// <summary>The bytes each rank had sent when <paramref name="resumeFrom"/> completed: the iterations after it run again.</summary>
    private void RollBackBytesSent(long resumeFrom)
    {
        if (resumeFrom < 0)
        {
            Array.Clear(_bytesSent);
        }
        else if (_bytesSentAtCheckpoints.TryGetValue(resumeFrom, out var then))
        {
            then.CopyTo(_bytesSent, 0);
        }
        // Otherwise a manifest from before these snapshots: the counts stay as they were.
        foreach (var later in _bytesSentAtCheckpoints.Keys.Where(i => i > resumeFrom).ToList())
        {
            _bytesSentAtCheckpoints.Remove(later);
        }
    }

    private async Task<long> NewestCompleteCheckpointAsync(ExperimentConfig config, long atMost)
    {
        if (config.CheckpointInterval <= 0)
        {
            return -1;
        }
        var checkpoints = await store.ListCheckpointsAsync(config.ExperimentId);
        var complete = checkpoints
            .Where(c => c.Iteration <= atMost && c.Iteration < _metrics.Count)
            .GroupBy(c => c.Iteration)
            .Where(g => _ring.All(rank => g.Any(c => c.Rank == rank)))
            .Select(g => g.Key)
            .DefaultIfEmpty(-1)
            .Max();
        return complete;
    }

    private async Task ApplyRetentionAsync(ExperimentConfig config, bool finished)
    {
        if (config.Persistence == ChunkPersistence.Off)
        {
            return;
        }
        var keep = config.Retention switch
        {
            ChunkRetention.KeepLast => config.RetainedIterations,
            ChunkRetention.DeleteAfterRun when finished => 0,
            _ => -1,
        };
        if (keep < 0)
        {
            return;
        }
        await store.PruneIterationsAsync(config.ExperimentId, keep);
        var checkpoints = await store.ListCheckpointsAsync(config.ExperimentId);
        var kept = checkpoints.Select(c => c.Iteration).Distinct().OrderDescending().Take(keep).ToHashSet();
        foreach (var checkpoint in checkpoints.Where(c => !kept.Contains(c.Iteration)))
        {
            await store.DeleteCheckpointAsync(checkpoint);
        }
        foreach (var gone in _bytesSentAtCheckpoints.Keys.Where(i => !kept.Contains(i)).ToList())
        {
            _bytesSentAtCheckpoints.Remove(gone);
        }
    }

    /// <summary>
    /// Compares the honest replicas by parameter hash and evaluates one replica per distinct hash: identical
    /// replicas have identical accuracy, so an agreeing ring costs one evaluation, a divergent one is measured
    /// per group. Attackers' replicas are hashed (for the result) but not evaluated.
    /// </summary>
    private async Task<(string[] Hashes, bool Agree, double Loss, double Accuracy)> EvaluateAsync()
    {
        using var span = RingTelemetry.StartEvaluation(_config!.ExperimentId, timeline.Silo, _metrics.Count - 1);
        // Workers excluded from the ring have been released; their slot stays empty.
        var hashes = await Task.WhenAll(_workers.Select((w, rank) => _ring.Contains(rank) ? w.GetParameterHashAsync() : Task.FromResult(string.Empty)))
            .WaitAsync(_activationEnding.Token);
        var groups = _honest.Select(rank => (hash: hashes[rank], rank)).GroupBy(h => h.hash).ToList();
        var evaluations = await Task.WhenAll(groups.Select(g => _workers[g.First().rank].EvaluateAsync())).WaitAsync(_activationEnding.Token);
        var loss = 0.0;
        var accuracy = 0.0;
        for (var g = 0; g < groups.Count; g++)
        {
            var weight = groups[g].Count() / (double)_honest.Length;
            loss += weight * evaluations[g].Loss;
            accuracy += weight * evaluations[g].Accuracy;
        }
        return (hashes, groups.Count == 1, loss, accuracy);
    }

    private ExperimentResult BuildResult(ExperimentConfig config, string[] hashes, bool agree, double? testLoss) => new()
    {
        Config = config,
        State = _state,
        Error = _error,
        Dataset = _data?.Split.Description ?? "not loaded",
        SyntheticData = _data?.Split.IsSynthetic ?? config.Data.Kind == DataSourceKind.Synthetic,
        ParameterCount = _parameterCount,
        TotalIterations = _totalIterations,
        Iterations = [.. _metrics],
        ParameterHashes = hashes,
        ReplicasIdentical = agree,
        FinalTestAccuracy = _state is ExperimentState.Completed or ExperimentState.Diverged ? _lastTestAccuracy : null,
        FinalTestLoss = _state is ExperimentState.Completed or ExperimentState.Diverged ? testLoss : null,
        WallSeconds = Elapsed,
        BytesSentPerWorker = [.. _bytesSent],
        TrainSamples = _data?.Split.Train.Count ?? 0,
        TestSamples = _data?.EvaluationSet.Count ?? 0,
        Recoveries = [.. _recoveries],
        Attack = _attack.Selection,
        AttackerRanks = _attack.AttackerRanks,
        OmniscientAttack = _attack.RequiresHonestGradients,
        Defence = _defence.Selection,
        Detections = [.. _detections],
        Exclusions = [.. _exclusions],
        DefenceExtraBytesPerWorkerPerIteration = _metrics.Sum(m => m.RingSize) == 0 ? 0 : _metrics.Sum(m => (double)m.DefenceBytesSent) / _metrics.Sum(m => m.RingSize),
        DeclaredDefenceExtraBytesPerWorkerPerIteration = DeclaredDefenceBytes(config),
        DefenceSeconds = _metrics.Sum(m => m.DefenceSeconds),
        HonestRanksNamed = [.. _detections.Select(d => d.Rank).Where(r => !_attack.AttackerRanks.Contains(r)).Distinct().Order()],
        DivergedAtIteration = _divergedAt,
    };

    /// <summary>The paper stops a run whose loss explodes; so do we, rather than train on NaNs to the end.</summary>
    private static bool IsDiverged(ExperimentConfig config, double trainLoss) =>
        !double.IsFinite(trainLoss) || (config.DivergenceLoss > 0 && trainLoss > config.DivergenceLoss);

    private long DeclaredDefenceBytes(ExperimentConfig config)
    {
        try
        {
            return _parameterCount == 0 ? 0 : _defence.DeclaredExtraBytes(plugins, config.Workers, _parameterCount);
        }
        catch (Exception ex) when (ex is ArgumentException or Plugins.Host.PluginFailureException or Plugins.Host.PluginSelectionException)
        {
            return 0; // the run's error already says what is wrong with the defence
        }
    }

    private async Task SaveManifestAsync()
    {
        var config = _config!;
        if (config.Persistence == ChunkPersistence.Off)
        {
            return;
        }
        await _manifestWrite.WaitAsync();
        try
        {
            // Never after this activation began to end: the next one may already have read, and written, the manifest.
            _activationEnding.Token.ThrowIfCancellationRequested();
            await store.PutDocumentAsync(config.ExperimentId, CoordinatorManifest.DocumentName, CurrentManifest(config).ToBytes());
        }
        finally
        {
            _manifestWrite.Release();
        }
    }

    private CoordinatorManifest CurrentManifest(ExperimentConfig config) =>
        new()
        {
            Config = config,
            State = _state,
            Error = _error,
            TotalIterations = _totalIterations,
            ParameterCount = _parameterCount,
            Metrics = _metrics,
            BytesSent = _bytesSent,
            BytesSentAtCheckpoints = _bytesSentAtCheckpoints,
            Recoveries = _recoveries,
            ElapsedSeconds = Elapsed,
            LastTestAccuracy = _lastTestAccuracy,
            Result = _result,
            Ring = _ring,
            Detections = _detections,
            Exclusions = _exclusions,
            CancelReason = _cancelReason,
        };

    private async Task SaveManifestQuietlyAsync()
    {
        try
        {
            await SaveManifestAsync();
        }
        catch (Exception ex)
        {
            LogManifestFailed(logger, ex, _config!.ExperimentId);
        }
    }

    private void Fail(Exception ex)
    {
        _clock.Stop();
        _state = ExperimentState.Failed;
        _error = Describe(ex);
        _result = BuildResult(_config!, [], false, null);
        _experimentSpan?.SetStatus(ActivityStatusCode.Error, _error);
        LogFailed(logger, ex, _config!.ExperimentId, _error);
    }

    private async Task ReleaseWorkersAsync()
    {
        _experimentSpan?.Dispose();
        _experimentSpan = null;
        try
        {
            await GatherTimelineAsync();
        }
        catch (Exception ex)
        {
            // The timeline is an aid: losing it must neither fail the run nor keep its workers.
            LogTimelineFailed(logger, ex, _config!.ExperimentId);
        }
        finally
        {
            _timelineGathered.TrySetResult();
        }
        try
        {
            await Task.WhenAll(_ring.Select(rank => _workers[rank].ReleaseAsync()));
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, _config!.ExperimentId);
        }
        finally
        {
            _holdsWorkers = false;
        }
    }

    /// <summary>
    /// Joins this silo's coordinator spans and every worker's (from its own silo's recorder) into the experiment's
    /// timeline, before the workers are released. Nothing to do when this silo does not record. A worker that cannot
    /// answer (its silo is gone) leaves a gap, not an error.
    /// </summary>
    private async Task GatherTimelineAsync()
    {
        if (!timeline.IsEnabled)
        {
            return;
        }
        var experimentId = _config!.ExperimentId;
        var answers = await Task.WhenAll(_workers.Select(async w =>
        {
            try
            {
                return await w.TakeTimelineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogTimelineFragmentMissing(logger, experimentId, w.GetPrimaryKeyString(), ex.Message);
                return null;
            }
        }));
        var parts = answers.Where(a => a is not null).Select(a => TimelineDocument.Parse(a!, "a worker's timeline fragment"))
            .Prepend(timeline.TakeFragment(experimentId, rank: null));
        _timeline = TimelineDocument.Merge(experimentId, parts).ToJsonBytes();
        if (_config.Persistence != ChunkPersistence.Off)
        {
            try
            {
                await store.PutDocumentAsync(experimentId, TimelineDocumentName, _timeline);
            }
            catch (ChunkStoreException ex)
            {
                LogTimelineNotSaved(logger, experimentId, ex.Message);
            }
        }
    }

    /// <summary>What a cancelled run fails with: its error reads "cancelled: REASON" (<see cref="IRingCoordinatorGrain.CancelAsync"/>).</summary>
    private static InvalidOperationException Cancelled(string reason) => new($"cancelled: {reason}");

    /// <summary>Lost workers, timeouts and broken rings are recoverable; a bad config, data, store or plugin is not.</summary>
    private static bool IsRecoverable(Exception ex)
    {
        var root = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : ex;
        return root is not (NonRecoverableRingException or ChunkStoreException or ArgumentException or DatasetFormatException or InvalidOperationException);
    }

    private static string Describe(Exception ex)
    {
        var root = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : ex;
        return root.InnerException is { } inner && root is not ArgumentException ? $"{root.Message} ({inner.Message})" : root.Message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Workers} workers, {Iterations} iterations, {Parameters} parameters")]
    private static partial void LogStarted(ILogger logger, string experimentId, int workers, int iterations, int parameters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} completed: test accuracy {Accuracy:P1} in {Seconds:0.0} s")]
    private static partial void LogCompleted(ILogger logger, string experimentId, double accuracy, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}, iteration {Iteration}: the states of ranks {Ranks} differ from the checkpoint holder's; they store their own")]
    private static partial void LogCheckpointsDiverged(ILogger logger, string experimentId, int iteration, string ranks);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: releasing workers failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: iteration {Iteration} failed ({Reason}); recovering the ring")]
    private static partial void LogRecovering(ILogger logger, string experimentId, int iteration, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: resumed from the checkpoint of iteration {Iteration} after {Seconds:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string experimentId, long iteration, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: workers not ready yet ({Reason}); retrying")]
    private static partial void LogReinitializeRetry(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: the coordinator restarted after {Iterations} iterations; resuming")]
    private static partial void LogResuming(ILogger logger, string experimentId, int iterations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: could not read a manifest: {Reason}")]
    private static partial void LogManifestUnreadable(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: no timeline fragment from {Worker}: {Reason}")]
    private static partial void LogTimelineFragmentMissing(ILogger logger, string experimentId, string worker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: the timeline could not be gathered")]
    private static partial void LogTimelineFailed(ILogger logger, Exception exception, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: the timeline document could not be saved or read: {Reason}")]
    private static partial void LogTimelineNotSaved(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: the workers' timelines were not gathered in time; returning what there is")]
    private static partial void LogTimelineIncomplete(ILogger logger, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: excluded rank {Rank} after iteration {Iteration}: {Reason}")]
    private static partial void LogExcluded(ILogger logger, string experimentId, int rank, int iteration, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: not excluding rank {Rank}: the ring has only {RingSize} workers")]
    private static partial void LogExclusionRefused(ILogger logger, string experimentId, int rank, int ringSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: ring rebuilt with {RingSize} workers in {Seconds:0.00} s")]
    private static partial void LogRingRebuilt(ILogger logger, string experimentId, int ringSize, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: the coordinator is deactivated mid-run ({Reason}); its next activation resumes the run")]
    private static partial void LogDeactivatedMidRun(ILogger logger, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: its failed attempt ({Error}) is forgotten; the next start runs it from scratch")]
    private static partial void LogForgotten(ILogger logger, string experimentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: could not save the manifest")]
    private static partial void LogManifestFailed(ILogger logger, Exception exception, string experimentId);
}
