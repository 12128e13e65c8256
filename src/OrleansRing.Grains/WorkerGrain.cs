using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OrleansRing.Abstractions;
using OrleansRing.Collectives;
using OrleansRing.Grains.Attacks;
using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Data;
using OrleansRing.Grains.Persistence;
using OrleansRing.Grains.Placement;
using OrleansRing.Grains.Ring;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;
using OrleansRing.Storage;
using OrleansRing.Telemetry;
using OrleansRing.Training;
using RingPhase = OrleansRing.Abstractions.RingPhase;

namespace OrleansRing.Grains;

/// <summary>
/// One rank of the ring. Per iteration: local forward/backward (off the scheduler), N − 1 scatter-reduce
/// steps, division of the owned chunk by N, N − 1 all-gather steps, then the optimizer step with the
/// averaged gradient, which is bit-identical on every honest worker.
/// </summary>
/// <remarks>
/// The gradient lives in one byte[] viewed as floats, so each step's outgoing chunk is a slice of it
/// sent without a copy. That is safe because the ring's data dependencies guarantee the successor has
/// applied a chunk before this worker writes the same region again: to reach the all-gather step that
/// overwrites chunk c, this worker must have received a message that the successor sent only after
/// consuming chunk c. Between iterations the coordinator's barrier does the same.
/// </remarks>
// By advertised capacity: GPU silos' free slots first, then CPU silos', consecutive ranks together (fewer
// cross-silo ring hops), and the ranks beyond one silo's slots on the next, so a lost silo never holds them all.
[CapacityPlacement]
public sealed partial class WorkerGrain(
    IDatasetCatalog datasets,
    TrainingComputeQueue compute,
    IChunkStore store,
    PluginCatalogProvider plugins,
    TimelineRecorder timeline,
    LocalChunkRoutes routes,
    ChunkDataPlane dataPlane,
    ILogger<WorkerGrain> logger) : Grain, IWorkerGrain, IDisposable
{
    private ChunkMailbox _mailbox = new();
    private WorkerAssignment? _assignment;
    private WorkerTrainer? _trainer;
    private LoadedDataset? _data;
    private ChunkLayout? _layout;
    private IWorkerGrain? _successor;
    private string _successorKey = string.Empty;
    private string? _successorDataPlane;
    private bool _successorDataPlaneKnown;
    private LocalChunkEndpoint? _localEndpoint;
    private byte[] _gradient = [];
    private byte[] _benchmarkInput = [];
    private long _completedIteration = -1;
    private IterationReport? _lastReport;
    private ChunkWriteBehind? _writeBehind;
    private MemoryStream? _checkpointBuffer;
    private SandboxedAttack? _attack;
    private RingAttackRunner? _attackRunner;
    private byte[]? _sharedGradient;
    private TaskCompletionSource<long> _sharedGradientReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DeviceQueueLease? _compute;
    private int[] _ring = [];
    private int _position;

    private int Rank => Assignment.Rank;

    /// <summary>Workers in the current ring: N, or fewer after exclusions.</summary>
    private int WorldSize => _ring.Length;

    private WorkerAssignment Assignment =>
        _assignment ?? throw NotInitialized();

    private Span<float> Gradient => MemoryMarshal.Cast<byte, float>(_gradient.AsSpan());

    /// <summary>This worker's place on one of its silo's devices: its trainer lives there and computes through its queue.</summary>
    private DeviceQueueLease Compute => _compute ?? throw NotInitialized();

    public async Task<int> InitializeAsync(WorkerAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var (experimentId, rank) = WorkerKey.Parse(this.GetPrimaryKeyString());
        if (assignment.Config.ExperimentId != experimentId || assignment.Rank != rank)
        {
            throw new ArgumentException($"Worker {this.GetPrimaryKeyString()} was handed the assignment of {assignment.Config.ExperimentId}/{assignment.Rank}.", nameof(assignment));
        }
        if (_assignment is not null && _trainer is not null && SameAssignment(_assignment, assignment)
            && (assignment.ResumeFromIteration < 0 ? _completedIteration < 0 : _completedIteration == assignment.ResumeFromIteration))
        {
            return _trainer.ParameterCount;
        }

        var config = assignment.Config;
        var data = await datasets.GetAsync(config.Data);
        var options = TrainingOptionsFor(config);
        _compute ??= compute.Reserve();
        var device = _compute.Device;
        var trainer = await Compute.RunAsync(() => new WorkerTrainer(options, data.Split.Train, assignment.Shard, rank, data.Normalization, device));
        if (assignment.ResumeFromIteration >= 0)
        {
            var checkpoint = new CheckpointKey(experimentId, assignment.ResumeFromIteration, rank);
            byte[] state;
            try
            {
                state = await store.GetCheckpointStateAsync(checkpoint);
            }
            catch
            {
                trainer.Dispose();
                throw;
            }
            await Compute.RunAsync(() => trainer.LoadState(state));
        }

        _trainer?.Dispose();
        _trainer = trainer;
        _data = data;
        _assignment = assignment;
        _gradient = new byte[checked(trainer.ParameterCount * sizeof(float))];
        JoinRing(assignment, trainer.ParameterCount);
        _completedIteration = assignment.ResumeFromIteration;
        _lastReport = null;
        await ReplaceWriteBehindAsync(config.Persistence == ChunkPersistence.Async ? new ChunkWriteBehind(store, config.Workers) : null);
        LogInitialized(logger, experimentId, rank, config.Workers, trainer.ParameterCount, assignment.Shard.Length);
        return trainer.ParameterCount;
    }

    public async Task<IterationReport> RunIterationAsync(long iteration)
    {
        try
        {
            return await RunIterationCoreAsync(iteration);
        }
        catch (ChunkStoreException ex)
        {
            // Recovering the ring would not help; say so across silos (the store's exception types are not serialisable).
            throw new NonRecoverableRingException($"Worker {Assignment.Config.ExperimentId}/{Rank}: {ex.Message}");
        }
        catch (PluginFailureException ex)
        {
            throw new NonRecoverableRingException($"Worker {Assignment.Config.ExperimentId}/{Rank}: {ex.Message}");
        }
        catch (PluginSelectionException ex)
        {
            throw new NonRecoverableRingException($"Worker {Assignment.Config.ExperimentId}/{Rank}: {ex.Message}");
        }
        finally
        {
            if (_sharedGradientReady.Task.IsCompleted)
            {
                _sharedGradientReady = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public async Task<byte[]> GetLocalGradientAsync(long iteration)
    {
        if (_attackRunner is not null || !Assignment.ShareLocalGradients)
        {
            throw new RingProtocolException($"Worker {Assignment.Config.ExperimentId}/{Rank} does not share its gradient (it is an attacker, or no attack needs it).");
        }
        // The coordinator's barrier means the signal of the previous iteration is always reset by now.
        var ready = await _sharedGradientReady.Task.WaitAsync(Assignment.Config.StepTimeout);
        return ready == iteration
            ? _sharedGradient!
            : throw new RingProtocolException($"Worker {Rank} was asked for its iteration {iteration} gradient but has computed iteration {ready}.");
    }

    private async Task<IterationReport> RunIterationCoreAsync(long iteration)
    {
        var trainer = _trainer ?? throw NotInitialized();
        if (iteration == _completedIteration && _lastReport is not null)
        {
            return _lastReport; // A retried call after a lost response: the step was already applied.
        }
        if (iteration != _completedIteration + 1)
        {
            throw new RingProtocolException($"Worker {Assignment.Config.ExperimentId}/{Rank} was asked for iteration {iteration} but has completed iteration {_completedIteration}.");
        }

        using var span = RingTelemetry.StartWorkerIteration(ExperimentId, timeline.Silo, iteration, Rank, WorldSize, Assignment.Generation, benchmark: false);
        try
        {
            return await RunTrainingIterationAsync(trainer, iteration);
        }
        catch (Exception ex) when (RingTelemetry.Failed(span, ex))
        {
            throw; // Never runs: the filter marks the span failed and returns false, so nothing is caught.
        }
    }

    private async Task<IterationReport> RunTrainingIterationAsync(WorkerTrainer trainer, long iteration)
    {
        _mailbox.BeginIteration(iteration);
        var computeClock = Stopwatch.StartNew();
        var labels = _attackRunner?.LabelTransform(iteration, _data!.Split.Train.ClassCount);
        BatchMetrics batch;
        using (RingTelemetry.StartOnWorker(RingSpans.Compute, ExperimentId, timeline.Silo, iteration, Rank))
        {
            batch = await Compute.RunAsync(() => trainer.ComputeGradient(iteration, MemoryMarshal.Cast<byte, float>(_gradient.AsSpan()), labels));
        }
        BeginDefenceIteration(iteration);
        // Every worker, a malicious one too, applies the protocol's transform of its contribution (sign-vote's signs);
        // the attack then changes what is really sent, so checks on received values face an attacker that does not comply.
        await DefendContributionAsync(iteration);
        if (Assignment.ShareLocalGradients && _attackRunner is null)
        {
            // Before the ring rewrites the buffer in place: omniscient attackers read this copy of what an honest worker sends.
            _sharedGradient = (byte[])_gradient.Clone();
            _sharedGradientReady.TrySetResult(iteration);
        }
        if (_attackRunner is not null)
        {
            var honest = _attackRunner.NeedsHonestGradients ? await HonestGradientsAsync(iteration) : null;
            using var attackSpan = (_attack!.Hooks & AttackHooks.Contribution) != 0
                ? RingTelemetry.StartAttack(ExperimentId, timeline.Silo, iteration, Rank, _attack.Name, "contribution")
                : null;
            await Compute.RunAsync(() => _attackRunner.PoisonContribution(iteration, MemoryMarshal.Cast<byte, float>(_gradient.AsSpan()), honest));
        }
        var computeSeconds = computeClock.Elapsed.TotalSeconds - _defenceSeconds;

        var ringClock = Stopwatch.StartNew();
        var bytesSent = await AllReduceMeanAsync(iteration);
        var ringSeconds = ringClock.Elapsed.TotalSeconds;

        using (RingTelemetry.StartOnWorker(RingSpans.Optimizer, ExperimentId, timeline.Silo, iteration, Rank))
        {
            await Compute.RunAsync(() => trainer.ApplyGradient(MemoryMarshal.Cast<byte, float>(_gradient.AsSpan())));
        }
        var checkpoint = await CheckpointAsync(trainer, iteration);
        if (_writeBehind is not null)
        {
            // The iteration is complete only once everything it sent and saved is durable.
            await _writeBehind.FlushAsync();
        }

        _completedIteration = iteration;
        RingMetrics.RecordBytesSent(ExperimentId, Rank, bytesSent);
        _lastReport = new IterationReport
        {
            Rank = Rank,
            Iteration = iteration,
            Loss = batch.Loss,
            Correct = batch.Correct,
            Samples = batch.Samples,
            BytesSent = bytesSent,
            ComputeSeconds = computeSeconds,
            RingSeconds = ringSeconds,
            DefenceBytesSent = _defenceBytes,
            DefenceSeconds = _defenceSeconds,
            Detections = EndDefenceIteration(iteration),
            CheckpointStateHash = checkpoint?.StateHash,
            CheckpointIsReference = checkpoint?.IsReference ?? false,
        };
        return _lastReport;
    }

    public async Task PrepareAllReduceBenchmarkAsync(AllReduceBenchmarkAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentOutOfRangeException.ThrowIfLessThan(assignment.Floats, 1);
        Dispose();
        _assignment = new WorkerAssignment
        {
            Config = new ExperimentConfig { ExperimentId = assignment.ExperimentId, Workers = assignment.Workers, StepTimeout = assignment.StepTimeout, Persistence = assignment.Persistence },
            Rank = assignment.Rank,
            Shard = [],
        };
        _assignment = _assignment with { Config = _assignment.Config with { Attack = assignment.Attack, Defence = assignment.Defence }, AttackerRanks = assignment.AttackerRanks };
        _gradient = new byte[checked(assignment.Floats * sizeof(float))];
        BenchmarkVector.Fill(Gradient, assignment.Rank);
        _benchmarkInput = (byte[])_gradient.Clone();
        JoinRing(_assignment, assignment.Floats);
        if (_attackRunner is { NeedsHonestGradients: true })
        {
            throw new ArgumentException($"bench allreduce cannot run the omniscient attack {assignment.Attack}.");
        }
        _completedIteration = -1;
        await ReplaceWriteBehindAsync(assignment.Persistence == ChunkPersistence.Async ? new ChunkWriteBehind(store, assignment.Workers) : null);
    }

    public async Task<AllReduceBenchmarkReport> RunAllReduceBenchmarkAsync(long iteration)
    {
        // A copy, not a fresh fill, so every rank starts its timed ring at once.
        _benchmarkInput.CopyTo(_gradient, 0);
        var report = await RunTimedAllReduceBenchmarkAsync(iteration);
        return report with { ResultHash = Convert.ToHexStringLower(SHA256.HashData(_gradient)) };
    }

    public async Task<AllReduceBenchmarkReport> RunTimedAllReduceBenchmarkAsync(long iteration)
    {
        _mailbox.BeginIteration(iteration);
        using var span = RingTelemetry.StartWorkerIteration(ExperimentId, timeline.Silo, iteration, Rank, WorldSize, Assignment.Generation, benchmark: true);
        var clock = Stopwatch.StartNew();
        BeginDefenceIteration(iteration);
        await DefendContributionAsync(iteration);
        _attackRunner?.PoisonContribution(iteration, Gradient, null); // after the protocol's transform, as in training
        var bytesSent = await AllReduceMeanAsync(iteration);
        var detections = EndDefenceIteration(iteration);
        if (_writeBehind is not null)
        {
            await _writeBehind.FlushAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        _completedIteration = iteration;
        RingMetrics.RecordBytesSent(ExperimentId, Rank, bytesSent);
        return new AllReduceBenchmarkReport { Rank = Rank, Seconds = seconds, BytesSent = bytesSent, ResultHash = string.Empty, DefenceBytesSent = _defenceBytes, Detections = detections };
    }

    public Task<string> ResetAllReduceBenchmarkAsync()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(_gradient));
        _benchmarkInput.CopyTo(_gradient, 0);
        return Task.FromResult(hash);
    }

    public async Task<byte[]> ExportParametersAsync()
    {
        var trainer = _trainer ?? throw NotInitialized();
        var parameters = await Compute.RunAsync(trainer.ExportParameters);
        return MemoryMarshal.AsBytes(parameters.AsSpan()).ToArray();
    }

    public Task ReceiveChunkAsync(ChunkMessage message)
    {
        AcceptChunk(message);
        return Task.CompletedTask;
    }

    public Task PostChunkAsync(ChunkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        AcceptLocalChunk(message);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A chunk handed over in memory by a predecessor in this silo (<see cref="LocalChunkEndpoint"/>), on this
    /// activation's scheduler, or posted one-way from another silo. A chunk from the predecessor that the grain call would
    /// reject fails this worker's wait for it with the same error, where the call would have failed the sender; one from
    /// anyone else is dropped.
    /// </summary>
    private void AcceptLocalChunk(ChunkMessage message)
    {
        try
        {
            AcceptChunk(message);
        }
        catch (Exception ex)
        {
            LogLocalChunkRejected(logger, ex, Rank, message.ToString());
            // Only the predecessor of this ring generation can fail the wait: a stray message from anyone else (a rank
            // excluded a moment ago, an attacker posting out of turn) is dropped, as the grain call's sender alone would fail.
            if (_assignment is { } assignment && message.Generation == assignment.Generation && WorldSize > 0
                && message.SenderRank == _ring[RingSchedule.Predecessor(_position, WorldSize)])
            {
                _mailbox.Fail(message.Iteration, ex);
            }
        }
    }

    /// <summary>Validates a ring chunk and deposits it in the mailbox; throws <see cref="RingProtocolException"/> for one this worker must not accept.</summary>
    private void AcceptChunk(ChunkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var assignment = Assignment;
        var n = WorldSize;
        if (message.ExperimentId != assignment.Config.ExperimentId)
        {
            throw new RingProtocolException($"Worker {assignment.Config.ExperimentId}/{Rank} received a chunk of experiment {message.ExperimentId}.");
        }
        if (message.Generation != assignment.Generation)
        {
            // Sent before the ring was rebuilt: its iteration is being redone from a checkpoint.
            LogDropped(logger, Rank, message.ToString());
            return;
        }
        var predecessor = _ring[RingSchedule.Predecessor(_position, n)];
        if (message.SenderRank != predecessor)
        {
            throw new RingProtocolException($"Worker {Rank} accepts chunks only from rank {predecessor}, got {message}.");
        }
        if (message.Step < 0 || message.Step >= RingSchedule.StepsPerPhase(n))
        {
            throw new RingProtocolException($"Worker {Rank}: step out of range in {message}.");
        }
        if (message.Phase is not (RingPhase.ScatterReduce or RingPhase.AllGather))
        {
            throw new RingProtocolException($"Worker {Rank}: {message.Phase} is a defence message; send it with ReceiveDefenceMessageAsync.");
        }
        var expectedChunk = message.Phase == RingPhase.ScatterReduce
            ? RingSchedule.ScatterReduceReceiveChunk(_position, message.Step, n)
            : RingSchedule.AllGatherReceiveChunk(_position, message.Step, n);
        if (message.ChunkIndex != expectedChunk)
        {
            throw new RingProtocolException($"Worker {Rank} expected chunk {expectedChunk} at {message.Phase} step {message.Step}, got {message}.");
        }
        var expectedBytes = _layout!.ChunkLength(expectedChunk) * sizeof(float);
        if (message.BlobName is not null)
        {
            var key = ChunkKeyOf(message.Iteration, message.Phase, message.Step, message.SenderRank, Rank, message.ChunkIndex);
            if (message.Payload.Length != 0 || message.BlobName != key.ToBlobName())
            {
                throw new RingProtocolException($"Worker {Rank} expected a reference to {key.ToBlobName()} without payload, got {message} referring to {message.BlobName}.");
            }
        }
        else if (message.Payload.Length != expectedBytes)
        {
            throw new RingProtocolException($"Worker {Rank} expected {expectedBytes} bytes for chunk {expectedChunk}, got {message}.");
        }
        if (!_mailbox.Deposit(message))
        {
            LogDropped(logger, Rank, message.ToString());
        }
    }

    public Task AbortIterationAsync(long iteration)
    {
        _mailbox.AbortWaiting(iteration);
        return Task.CompletedTask;
    }

    public async Task<EvaluationReport> EvaluateAsync()
    {
        var trainer = _trainer ?? throw NotInitialized();
        var test = _data!.EvaluationSet;
        var result = await Compute.RunAsync(() => trainer.Evaluate(test));
        return new EvaluationReport { Rank = Rank, Loss = result.Loss, Accuracy = result.Accuracy, Samples = result.Samples };
    }

    public async Task<string> GetParameterHashAsync()
    {
        var trainer = _trainer ?? throw NotInitialized();
        return await Compute.RunAsync(trainer.ParameterHash);
    }

    public Task<byte[]> TakeTimelineAsync()
    {
        var (experimentId, rank) = WorkerKey.Parse(this.GetPrimaryKeyString());
        return Task.FromResult(timeline.TakeFragment(experimentId, rank).ToJsonBytes());
    }

    public async Task ReleaseAsync()
    {
        var (experimentId, rank) = WorkerKey.Parse(this.GetPrimaryKeyString());
        timeline.Forget(experimentId, rank);
        LeaveLocalRoutes();
        await ReplaceWriteBehindAsync(null);
        Dispose();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LeaveLocalRoutes();
        await ReplaceWriteBehindAsync(null);
        Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public void Dispose()
    {
        _trainer?.Dispose();
        _trainer = null;
        ReplaceAttack(null, [], 0);
        ReplaceDefence(null);
        _benchmarkInput = [];
        _compute?.Dispose();
        _compute = null;
    }

    /// <summary>Scatter-reduce, division of the owned chunk by N, all-gather: the gradient becomes the mean. Returns payload bytes sent.</summary>
    private async Task<long> AllReduceMeanAsync(long iteration)
    {
        long bytesSent;
        if (_defence is not null && _defence.Has(DefenceHooks.Reduction))
        {
            bytesSent = await ReduceAtOwnersAsync(iteration);
        }
        else
        {
            bytesSent = await RunPhaseAsync(iteration, RingPhase.ScatterReduce);
            ChunkArithmetic.Divide(_layout!.Slice(Gradient, RingSchedule.OwnedChunk(_position, WorldSize)), WorldSize);
        }
        await PublishReducedChunkAsync(iteration);
        bytesSent += await RunPhaseAsync(iteration, RingPhase.AllGather);
        await DefendAggregateAsync(iteration);
        return bytesSent;
    }

    /// <summary>Runs the N − 1 steps of one phase; returns the payload bytes sent.</summary>
    private async Task<long> RunPhaseAsync(long iteration, RingPhase phase)
    {
        await ResolveSuccessorDataPlaneAsync();
        var n = WorldSize;
        var layout = _layout!;
        var successor = _successor!;
        var timeout = Assignment.Config.StepTimeout;
        var phaseName = phase == RingPhase.ScatterReduce ? RingAttributes.PhaseScatterReduce : RingAttributes.PhaseAllGather;
        long bytesSent = 0;
        for (var step = 0; step < RingSchedule.StepsPerPhase(n); step++)
        {
            var stepStarted = Stopwatch.GetTimestamp();
            var sendChunk = phase == RingPhase.ScatterReduce
                ? RingSchedule.ScatterReduceSendChunk(_position, step, n)
                : RingSchedule.AllGatherSendChunk(_position, step, n);
            using var span = RingTelemetry.StartStep(
                ExperimentId, timeline.Silo, iteration, Rank, _ring[RingSchedule.Successor(_position, n)], _ring[RingSchedule.Predecessor(_position, n)], phaseName, step, sendChunk, layout.ChunkLength(sendChunk) * sizeof(float));
            var outgoing = new ChunkMessage
            {
                ExperimentId = Assignment.Config.ExperimentId,
                Iteration = iteration,
                Phase = phase,
                Step = step,
                ChunkIndex = sendChunk,
                SenderRank = Rank,
                Generation = Assignment.Generation,
                Payload = _gradient.AsMemory(layout.Offset(sendChunk) * sizeof(float), layout.ChunkLength(sendChunk) * sizeof(float)),
                TraceParent = span?.Id,
            };
            if (_attackRunner is { TampersWithTransmissions: true })
            {
                using var attackSpan = RingTelemetry.StartAttack(ExperimentId, timeline.Silo, iteration, Rank, _attack!.Name, "transmit");
                outgoing = await _attackRunner.TransmitAsync(outgoing, layout);
            }
            outgoing = await PersistAsync(outgoing);
            var send = Send(successor, outgoing);
            var key = new RingStepKey(iteration, phase, step);
            var incoming = await ReceiveAsync(key, send, timeout);
            await send;
            bytesSent += layout.ChunkLength(sendChunk) * sizeof(float);
            RingTelemetry.LinkToSender(span, incoming.TraceParent, incoming.ChunkIndex);

            var payload = incoming.BlobName is null
                ? incoming.Payload
                : await LoadChunkAsync(iteration, phase, step, incoming);
            if (payload.Length != layout.ChunkLength(incoming.ChunkIndex) * sizeof(float))
            {
                throw new RingProtocolException($"Worker {Rank}: the stored chunk {incoming.BlobName} has {payload.Length} bytes, expected {layout.ChunkLength(incoming.ChunkIndex) * sizeof(float)}.");
            }
            // A checking defence works on its own copy of the chunk (it may clip or zero it); use that copy as it is.
            var checkedValues = _defence is not null && _defence.Has(DefenceHooks.Received)
                ? await CheckReceivedAsync(incoming, payload, phase, step)
                : null;
            var target = layout.Slice(Gradient, incoming.ChunkIndex);
            ReadOnlySpan<float> values = checkedValues is null ? MemoryMarshal.Cast<byte, float>(payload.Span) : checkedValues;
            if (phase == RingPhase.ScatterReduce)
            {
                ChunkArithmetic.Add(target, values);
            }
            else
            {
                values.CopyTo(target);
            }
            RingMetrics.RecordStep(phaseName, Rank, Stopwatch.GetElapsedTime(stepStarted));
        }
        return bytesSent;
    }

    private async Task<ReadOnlyMemory<byte>> LoadChunkAsync(long iteration, RingPhase phase, int step, ChunkMessage incoming)
    {
        using var span = RingTelemetry.StartChunkLoad(ExperimentId, timeline.Silo, iteration, Rank, _layout!.ChunkLength(incoming.ChunkIndex) * sizeof(float));
        return await store.GetChunkAsync(ChunkKeyOf(iteration, phase, step, incoming.SenderRank, Rank, incoming.ChunkIndex));
    }

    /// <summary>Makes an outgoing chunk durable as the run's persistence mode says; returns the message to send.</summary>
    private async Task<ChunkMessage> PersistAsync(ChunkMessage outgoing)
    {
        var mode = Assignment.Config.Persistence;
        if (mode == ChunkPersistence.Off)
        {
            return outgoing;
        }
        var key = ChunkKeyOf(outgoing.Iteration, outgoing.Phase, outgoing.Step, Rank, _ring[RingSchedule.Successor(_position, WorldSize)], outgoing.ChunkIndex);
        var modeName = PersistenceName(mode);
        using var span = RingTelemetry.StartChunkPersist(ExperimentId, timeline.Silo, outgoing.Iteration, Rank, modeName, outgoing.Payload.Length);
        RingMetrics.RecordChunkPersisted(modeName);
        switch (mode)
        {
            case ChunkPersistence.Async:
                await _writeBehind!.EnqueueChunkAsync(key, outgoing.Payload, ForwardedFrom(outgoing, key));
                return outgoing;
            case ChunkPersistence.Sync:
                await store.PutChunkAsync(key, outgoing.Payload);
                return outgoing;
            case ChunkPersistence.Reference:
                await store.PutChunkAsync(key, outgoing.Payload);
                return outgoing with { Payload = ReadOnlyMemory<byte>.Empty, BlobName = key.ToBlobName() };
            default:
                throw new InvalidOperationException($"Unknown persistence mode {mode}.");
        }
    }

    /// <summary>
    /// The chunk whose bytes <paramref name="outgoing"/> (stored as <paramref name="sent"/>) forwards unchanged, or null:
    /// from all-gather step 1 on a worker passes on the chunk it received one step earlier, byte for byte, unless a
    /// defence checking received chunks (which may clip or zero them) or an attack tampering with transmissions stands
    /// between.
    /// </summary>
    private ChunkKey? ForwardedFrom(ChunkMessage outgoing, ChunkKey sent)
    {
        if (outgoing.Phase != RingPhase.AllGather || outgoing.Step == 0
            || (_defence is not null && _defence.Has(DefenceHooks.Received)) || _attackRunner is { TampersWithTransmissions: true })
        {
            return null;
        }
        var n = WorldSize;
        if (RingSchedule.AllGatherReceiveChunk(_position, outgoing.Step - 1, n) != outgoing.ChunkIndex)
        {
            throw new InvalidOperationException($"Worker {Rank}: all-gather step {outgoing.Step} sends chunk {outgoing.ChunkIndex}, not the one it received at step {outgoing.Step - 1}.");
        }
        // The same chunk one hop earlier: from the predecessor to this rank.
        return sent with { Step = outgoing.Step - 1, SenderRank = _ring[RingSchedule.Predecessor(_position, n)], ReceiverRank = Rank };
    }

    /// <summary>
    /// Saves this rank's state after <paramref name="iteration"/> when the interval says so. Honest replicas are
    /// bitwise identical, so only the ring's first rank stores the state; the others store a
    /// <see cref="CheckpointReference"/> to it with the SHA-256 of their own state, and the coordinator has any rank
    /// whose hash differs from the holder's store its state itself (<see cref="SaveOwnCheckpointAsync"/>). A state
    /// with anything of the worker's own (dropout stream, worker momentum) is always stored in full.
    /// </summary>
    /// <returns>What was written for the coordinator's comparison; null when no checkpoint was due or none can stand in for another.</returns>
    private async Task<CheckpointWritten?> CheckpointAsync(WorkerTrainer trainer, long iteration)
    {
        var config = Assignment.Config;
        if (!config.CheckpointsAfter(iteration))
        {
            return null;
        }
        using var span = RingTelemetry.StartOnWorker(RingSpans.Checkpoint, config.ExperimentId, timeline.Silo, iteration, Rank);
        var key = new CheckpointKey(config.ExperimentId, iteration, Rank);
        var holder = _ring[0];
        if (!trainer.HasWorkerOwnState && holder != Rank)
        {
            // A reference needs only the state's hash: hash the state as it is written, without keeping it.
            using var sha = SHA256.Create();
            await using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write, leaveOpen: true))
            {
                await Compute.RunAsync(() => trainer.SaveState(hashing));
            }
            var stateHash = sha.Hash!;
            await WriteCheckpointAsync(key, new CheckpointReference(holder, stateHash).Encode());
            return new CheckpointWritten(Convert.ToHexStringLower(stateHash), IsReference: true);
        }
        var state = await SaveStateToCheckpointBufferAsync(trainer);
        await WriteCheckpointAsync(key, state);
        return trainer.HasWorkerOwnState ? null : new CheckpointWritten(Convert.ToHexStringLower(SHA256.HashData(state.Span)), IsReference: false);
    }

    /// <summary>
    /// The trainer's state in this worker's checkpoint buffer, reused every iteration (a state is megabytes: a fresh
    /// array per iteration and worker churns the large-object heap); a new one while the last write may still read it.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> SaveStateToCheckpointBufferAsync(WorkerTrainer trainer)
    {
        if (_checkpointBuffer is null || _writeBehind is { CheckpointPending: true })
        {
            _checkpointBuffer = new MemoryStream(_checkpointBuffer?.Capacity ?? 0);
        }
        var buffer = _checkpointBuffer;
        buffer.SetLength(0);
        await Compute.RunAsync(() => trainer.SaveState(buffer));
        return buffer.GetBuffer().AsMemory(0, checked((int)buffer.Length));
    }

    private async Task WriteCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload)
    {
        if (_writeBehind is not null)
        {
            await _writeBehind.EnqueueCheckpointAsync(key, payload);
        }
        else
        {
            await store.PutCheckpointAsync(key, payload);
        }
    }

    public async Task SaveOwnCheckpointAsync(long iteration)
    {
        var trainer = _trainer ?? throw NotInitialized();
        if (iteration != _completedIteration)
        {
            throw new RingProtocolException($"Worker {Assignment.Config.ExperimentId}/{Rank} was asked to store its state of iteration {iteration} but has completed iteration {_completedIteration}.");
        }
        try
        {
            var state = await Compute.RunAsync(trainer.SaveState);
            await store.PutCheckpointAsync(new CheckpointKey(Assignment.Config.ExperimentId, iteration, Rank), state);
        }
        catch (ChunkStoreException ex)
        {
            throw new NonRecoverableRingException($"Worker {Assignment.Config.ExperimentId}/{Rank}: {ex.Message}");
        }
    }

    private void ReplaceAttack(string? selection, int[] attackers, int seed)
    {
        _attack?.Dispose();
        _attack = null;
        _attackRunner = null;
        _sharedGradient = null;
        if (selection is not null && Array.IndexOf(attackers, Rank) >= 0)
        {
            // The attack sees ring positions: after an exclusion the attackers still in the ring are renumbered with it.
            var positions = attackers.Select(r => Array.IndexOf(_ring, r)).Where(p => p >= 0).Order().ToArray();
            _attack = plugins.CreateAttack(selection);
            _attackRunner = new RingAttackRunner(_attack, _position, WorldSize, positions, seed);
        }
    }

    /// <summary>The honest workers' local gradients of <paramref name="iteration"/>, in ascending rank order.</summary>
    private async Task<IReadOnlyList<ReadOnlyMemory<float>>> HonestGradientsAsync(long iteration)
    {
        var experiment = Assignment.Config.ExperimentId;
        var honest = _ring.Where(r => Array.IndexOf(Assignment.AttackerRanks, r) < 0);
        var gradients = await Task.WhenAll(honest.Select(r => GrainFactory.GetGrain<IWorkerGrain>(WorkerKey.For(experiment, r)).GetLocalGradientAsync(iteration)));
        return [.. gradients.Select(bytes => new ReadOnlyMemory<float>(MemoryMarshal.Cast<byte, float>(bytes).ToArray()))];
    }

    private ChunkKey ChunkKeyOf(long iteration, RingPhase phase, int step, int sender, int receiver, int chunk) =>
        new(Assignment.Config.ExperimentId, iteration, phase == RingPhase.ScatterReduce ? Storage.RingPhase.ScatterReduce : Storage.RingPhase.AllGather, step, sender, receiver, chunk);

    private async Task ReplaceWriteBehindAsync(ChunkWriteBehind? next)
    {
        if (_writeBehind is not null)
        {
            await _writeBehind.DisposeAsync();
        }
        _writeBehind = next;
    }

    public Task<string?> GetDataPlaneEndpointAsync() => Task.FromResult(dataPlane.EnsureListening());

    /// <summary>Once per ring joined: the data plane endpoint of a successor in another silo (null: in this silo, or none).</summary>
    private async ValueTask ResolveSuccessorDataPlaneAsync()
    {
        if (_successorDataPlaneKnown)
        {
            return;
        }
        _successorDataPlane = dataPlane.Enabled && !routes.TryGet(_successorKey, out _)
            ? await _successor!.GetDataPlaneEndpointAsync()
            : null;
        _successorDataPlaneKnown = true;
    }

    /// <summary>
    /// Sends a ring chunk to the successor: in memory when it is active in this silo, else through the silos' data plane,
    /// else by grain call.
    /// </summary>
    private Task Send(IWorkerGrain successor, ChunkMessage outgoing)
    {
        if (routes.TryGet(_successorKey, out var local))
        {
            local.Post(outgoing);
            return Task.CompletedTask;
        }
        if (_successorDataPlane is { } endpoint)
        {
            return SendOverDataPlaneAsync(endpoint, successor, outgoing);
        }
        return SendAsMessage(successor, outgoing);
    }

    private async Task SendOverDataPlaneAsync(string endpoint, IWorkerGrain successor, ChunkMessage outgoing)
    {
        try
        {
            await dataPlane.SendAsync(endpoint, _successorKey, outgoing);
        }
        catch (DataPlaneUnreachableException ex)
        {
            // Nothing was sent: the successor's silo listens where this one cannot reach. Messages reach it; keep to them.
            LogDataPlaneUnreachable(logger, ex, Rank, endpoint);
            _successorDataPlane = null;
            await SendAsMessage(successor, outgoing);
        }
    }

    private Task SendAsMessage(IWorkerGrain successor, ChunkMessage outgoing)
    {
        if (routes.OneWayBetweenSilos)
        {
            // No response to wait for: the successor validates, and its own wait fails on a chunk it rejects.
            return successor.PostChunkAsync(outgoing);
        }
        return successor.ReceiveChunkAsync(outgoing);
    }

    private async ValueTask<ChunkMessage> ReceiveAsync(RingStepKey key, Task send, TimeSpan timeout)
    {
        var receive = _mailbox.ReceiveAsync(key);
        if (receive.IsCompletedSuccessfully && send.IsCompletedSuccessfully)
        {
            return receive.Result; // Already here (an in-silo predecessor is often a step ahead): no timer, no WhenAny.
        }
        var first = send.IsCompletedSuccessfully ? receive : await Task.WhenAny(receive, send);
        if (first == send && send.IsFaulted)
        {
            _mailbox.Abandon(key);
            throw new RingProtocolException($"Worker {Assignment.Config.ExperimentId}/{Rank} could not send its {key} chunk to rank {_ring[RingSchedule.Successor(_position, WorldSize)]}: {send.Exception!.GetBaseException().Message}", send.Exception!.GetBaseException());
        }
        try
        {
            return await receive.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _mailbox.Abandon(key);
            throw new RingProtocolException($"Worker {Assignment.Config.ExperimentId}/{Rank} waited {timeout.TotalSeconds:0.#} s for the {key} chunk from rank {_ring[RingSchedule.Predecessor(_position, WorldSize)]}.");
        }
    }

    private string ExperimentId => Assignment.Config.ExperimentId;

    private static string PersistenceName(ChunkPersistence mode) => mode switch
    {
        ChunkPersistence.Sync => "sync",
        ChunkPersistence.Async => "async",
        ChunkPersistence.Reference => "reference",
        _ => "off",
    };

    // A fresh activation (its silo was lost) knows nothing yet: recoverable, the coordinator re-initialises it.
    private RingProtocolException NotInitialized() => new($"Worker {this.GetPrimaryKeyString()} has not been initialised (a new activation after a lost silo?).");

    private static TrainingOptions TrainingOptionsFor(ExperimentConfig config) => new()
    {
        Model = config.Model == ModelArchitecture.AlexNet ? ModelKind.AlexNet : ModelKind.PaperCnn,
        LearningRate = config.LearningRate,
        Momentum = config.Momentum,
        WorkerMomentum = config.MomentumAt == MomentumPlacement.Worker,
        WeightDecay = config.WeightDecay,
        BatchSize = config.BatchSize,
        Seed = config.Seed,
    };

    private static bool SameAssignment(WorkerAssignment a, WorkerAssignment b) =>
        a.Rank == b.Rank && a.Generation == b.Generation && a.Config == b.Config && a.Shard.AsSpan().SequenceEqual(b.Shard) && a.Ring.AsSpan().SequenceEqual(b.Ring);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {ExperimentId}/{Rank} of {WorldSize} ready: {Parameters} parameters, {ShardSize} samples")]
    private static partial void LogInitialized(ILogger logger, string experimentId, int rank, int worldSize, int parameters, int shardSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Rank} rejected a chunk handed over in the silo: {Chunk}")]
    private static partial void LogLocalChunkRejected(ILogger logger, Exception exception, int rank, string chunk);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Rank} cannot reach its successor's data plane at {Endpoint}; sending ring steps as Orleans messages")]
    private static partial void LogDataPlaneUnreachable(ILogger logger, Exception exception, int rank, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {Rank} dropped a duplicate or stale chunk: {Chunk}")]
    private static partial void LogDropped(ILogger logger, int rank, string chunk);
}
