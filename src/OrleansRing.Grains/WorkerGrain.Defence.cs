using System.Diagnostics;
using System.Runtime.InteropServices;
using OrleansRing.Abstractions;
using OrleansRing.Collectives;
using OrleansRing.Grains.Ring;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;
using OrleansRing.Telemetry;
using RingPhase = OrleansRing.Abstractions.RingPhase;

namespace OrleansRing.Grains;

/// <summary>
/// The worker's side of defences: its place in a ring that exclusions may shrink, the defence hook calls, and the
/// defence-only exchanges (contributions to owners, statistics rounds, commitments, attestations, repairs).
/// Every worker runs the defence: the protocol is the host's code, an attack acts only through its hooks.
/// </summary>
public sealed partial class WorkerGrain
{
    // A statistics round's step is round · N + sender position; more rounds than this is a broken plugin.
    private const int MaxStatisticsRounds = 10_000;
    private const int MaxDigestBytes = 1 << 16;

    private SandboxedDefence? _defence;
    private DetectionSink? _detections;
    private long _defenceBytes;
    private double _defenceSeconds;
    private long _defenceIteration = -1;
    private byte[] _reducedChunk = [];
    private long _reducedIteration = -1;
    private ReadOnlyMemory<byte>[] _commitments = [];
    private long _commitmentsIteration = -1;

    public Task ReceiveDefenceMessageAsync(ChunkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var assignment = Assignment;
        if (message.ExperimentId != assignment.Config.ExperimentId)
        {
            throw new RingProtocolException($"Worker {assignment.Config.ExperimentId}/{Rank} received a defence message of experiment {message.ExperimentId}.");
        }
        if (message.Generation != assignment.Generation)
        {
            LogDropped(logger, Rank, message.ToString());
            return Task.CompletedTask;
        }
        var n = WorldSize;
        var sender = Array.IndexOf(_ring, message.SenderRank);
        if (sender < 0 || sender == _position)
        {
            throw new RingProtocolException($"Worker {Rank} accepts defence messages only from the other members of its ring ({string.Join(',', _ring)}), got {message}.");
        }
        var valid = message.Phase switch
        {
            RingPhase.Contribution => message.Step == sender
                && message.ChunkIndex == RingSchedule.OwnedChunk(_position, n)
                && message.Payload.Length == _layout!.ChunkLength(message.ChunkIndex) * sizeof(float),
            RingPhase.Statistics => message.Step % n == sender && message.Step / n < MaxStatisticsRounds && message.Payload.Length % sizeof(double) == 0,
            RingPhase.Commitment => message.Step == sender && message.ChunkIndex == RingSchedule.OwnedChunk(sender, n) && message.Payload.Length <= MaxDigestBytes,
            RingPhase.Attestation => message.Step == sender && message.Payload.Length <= MaxDigestBytes,
            _ => false,
        };
        if (!valid || message.BlobName is not null)
        {
            throw new RingProtocolException($"Worker {Rank} (ring position {_position} of {n}) cannot accept {message}.");
        }
        if (!_mailbox.Deposit(message))
        {
            LogDropped(logger, Rank, message.ToString());
        }
        return Task.CompletedTask;
    }

    public Task<byte[]> GetReducedChunkAsync(long iteration, int chunk)
    {
        var owned = RingSchedule.OwnedChunk(_position, WorldSize);
        return _reducedIteration == iteration && chunk == owned
            ? Task.FromResult(_reducedChunk)
            : throw new RingProtocolException($"Worker {Rank} holds its reduced chunk {owned} of iteration {_reducedIteration}; asked for chunk {chunk} of iteration {iteration}.");
    }

    public Task RebuildRingAsync(WorkerAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var trainer = _trainer ?? throw NotInitialized();
        if (assignment.Rank != Rank || assignment.Config != Assignment.Config)
        {
            throw new ArgumentException($"Worker {Assignment.Config.ExperimentId}/{Rank} was handed another experiment's or rank's assignment to rebuild its ring.", nameof(assignment));
        }
        if (assignment.ResumeFromIteration != _completedIteration)
        {
            throw new RingProtocolException($"Worker {Rank} has completed iteration {_completedIteration}; the rebuilt ring continues after {assignment.ResumeFromIteration}.");
        }
        _assignment = assignment;
        JoinRing(assignment, trainer.ParameterCount);
        _lastReport = null;
        return Task.CompletedTask;
    }

    /// <summary>Takes this worker's place in the assignment's ring: position, chunk layout, successor, and fresh attack and defence instances.</summary>
    private void JoinRing(WorkerAssignment assignment, int length)
    {
        var config = assignment.Config;
        _ring = assignment.Ring.Length > 0 ? [.. assignment.Ring] : [.. Enumerable.Range(0, config.Workers)];
        _position = Array.IndexOf(_ring, assignment.Rank);
        if (_position < 0 || _ring.Distinct().Count() != _ring.Length || _ring.Any(r => r < 0 || r >= config.Workers))
        {
            throw new ArgumentException($"Worker {config.ExperimentId}/{assignment.Rank} is not a member of the ring {string.Join(',', _ring)} of {config.Workers} workers.", nameof(assignment));
        }
        _layout = new ChunkLayout(length, WorldSize);
        _successorKey = WorkerKey.For(config.ExperimentId, _ring[RingSchedule.Successor(_position, WorldSize)]);
        _successor = GrainFactory.GetGrain<IWorkerGrain>(_successorKey);
        _successorDataPlane = null;
        _successorDataPlaneKnown = false;
        _mailbox = new ChunkMailbox();
        // Called in a grain turn, so GrainContext.Scheduler is this activation's: in-silo predecessors post chunks there.
        _localEndpoint ??= new LocalChunkEndpoint(GrainContext.Scheduler, AcceptLocalChunk);
        routes.Register(this.GetPrimaryKeyString(), _localEndpoint);
        _reducedIteration = -1;
        _commitmentsIteration = -1;
        ReplaceAttack(config.Attack, assignment.AttackerRanks, config.Seed);
        ReplaceDefence(config.Defence);
    }

    private void LeaveLocalRoutes()
    {
        if (_localEndpoint is not null)
        {
            routes.Unregister(this.GetPrimaryKeyString(), _localEndpoint);
            _localEndpoint = null;
        }
    }

    private void ReplaceDefence(string? selection)
    {
        _defence?.Dispose();
        _defence = selection is null ? null : plugins.CreateDefence(selection);
    }

    private void BeginDefenceIteration(long iteration)
    {
        _defenceIteration = iteration;
        _defenceBytes = 0;
        _defenceSeconds = 0;
        _detections = _defence is null ? null : new DetectionSink(WorldSize);
    }

    /// <summary>The iteration's flags as detections with original ranks.</summary>
    private DefenceDetection[] EndDefenceIteration(long iteration)
    {
        if (_defence is null || _detections is null)
        {
            return [];
        }
        var detections = _detections.Flags
            .Select(f => new DefenceDetection { Iteration = iteration, Rank = _ring[f.Rank], DetectedBy = Rank, Defence = _defence.Name, Reason = f.Reason, Exclude = f.Exclude })
            .ToArray();
        _detections.Clear();
        return detections;
    }

    private DefenceContext DefenceContextFor(long iteration) =>
        new(_position, WorldSize, iteration, SharedSeed(iteration), _detections ?? new DetectionSink(WorldSize));

    // The same on every worker of the iteration, so shuffles inside a defence agree without an exchange.
    private ulong SharedSeed(long iteration) =>
        AttackRandom.ForAttacker(Assignment.Config.Seed, 0).NextUInt64() ^ (0x9E3779B97F4A7C15UL * (ulong)(iteration + 1));

    /// <summary>Runs a defence hook off the grain's thread, timed and traced ("defence applied" span on this worker).</summary>
    private async Task<T> TimedAsync<T>(long iteration, int judgedRank, Func<T> hook)
    {
        using var span = RingTelemetry.StartDefence(ExperimentId, timeline.Silo, iteration, _defence!.Name, judgedRank, runningOnRank: Rank);
        var clock = Stopwatch.StartNew();
        try
        {
            // Off the grain's thread: a defence that hangs must not hold an Orleans scheduler thread.
            return await Task.Run(hook);
        }
        finally
        {
            _defenceSeconds += clock.Elapsed.TotalSeconds;
        }
    }

    private async Task DefendContributionAsync(long iteration)
    {
        if (_defence is null || !_defence.Has(DefenceHooks.Contribution))
        {
            return;
        }
        var context = DefenceContextFor(iteration);
        await TimedAsync(iteration, Rank, () =>
        {
            _defence.OnContribution(context, MemoryMarshal.Cast<byte, float>(_gradient.AsSpan()));
            return true;
        });
    }

    /// <summary>
    /// Replaces scatter-reduce for a robust reduction: every worker sends its raw chunk c to the owner of c (the bytes
    /// scatter-reduce would send), the owner checks each, then runs the defence's rounds, summing each round's
    /// statistics over all owners in position order, and writes the reduced chunk. Returns the contribution bytes sent.
    /// </summary>
    private async Task<long> ReduceAtOwnersAsync(long iteration)
    {
        var n = WorldSize;
        var layout = _layout!;
        var owned = RingSchedule.OwnedChunk(_position, n);
        var experiment = Assignment.Config.ExperimentId;
        var timeout = Assignment.Config.StepTimeout;
        long bytesSent = 0;
        var sends = new List<Task>(n - 1);
        for (var chunk = 0; chunk < n; chunk++)
        {
            if (chunk == owned)
            {
                continue;
            }
            var outgoing = new ChunkMessage
            {
                ExperimentId = experiment,
                Iteration = iteration,
                Phase = RingPhase.Contribution,
                Step = _position,
                ChunkIndex = chunk,
                SenderRank = Rank,
                Generation = Assignment.Generation,
                Payload = _gradient.AsMemory(layout.Offset(chunk) * sizeof(float), layout.ChunkLength(chunk) * sizeof(float)),
            };
            if (_attackRunner is { TampersWithTransmissions: true })
            {
                // To an attack a contribution is what it sends at the first scatter-reduce step.
                outgoing = await _attackRunner.TransmitAsync(outgoing with { Phase = RingPhase.ScatterReduce, Step = 0 }, layout) with { Phase = RingPhase.Contribution, Step = _position };
            }
            bytesSent += outgoing.Payload.Length;
            sends.Add(OwnerGrain(chunk).ReceiveDefenceMessageAsync(outgoing));
        }
        var sent = Task.WhenAll(sends);

        var contributions = new ReadOnlyMemory<float>[n];
        contributions[_position] = layout.Slice((ReadOnlySpan<float>)Gradient, owned).ToArray();
        for (var sender = 0; sender < n; sender++)
        {
            if (sender == _position)
            {
                continue;
            }
            var message = await ReceiveAsync(new RingStepKey(iteration, RingPhase.Contribution, sender), sent, timeout);
            var values = MemoryMarshal.Cast<byte, float>(message.Payload.Span).ToArray();
            if (_defence!.Has(DefenceHooks.Received))
            {
                var receive = new ReceiveContext(DefenceContextFor(iteration), DefencePhase.Contribution, 0, sender, owned, layout.Offset(owned), layout.Length, 1, _position);
                if (await TimedAsync(iteration, _ring[sender], () => _defence.OnReceive(receive, values)) == ReceiveVerdict.Reject)
                {
                    Array.Clear(values);
                }
            }
            contributions[sender] = values;
        }
        await sent;

        var result = new float[layout.ChunkLength(owned)];
        var totals = ReadOnlyMemory<double>.Empty;
        for (var round = 0; ; round++)
        {
            var context = new ReductionContext(DefenceContextFor(iteration), owned, layout.Offset(owned), layout.Length, contributions, round, totals);
            var statistics = await TimedAsync(iteration, Rank, () => _defence!.Reduce(context, result));
            if (statistics is null)
            {
                break;
            }
            if (round >= MaxStatisticsRounds)
            {
                throw new PluginFailureException(_defence!.Name, PluginHook.Reduction, PluginFailureReason.InvalidResult, $"it asked for more than {MaxStatisticsRounds} statistics rounds.");
            }
            totals = await SumOverOwnersAsync(iteration, round, statistics);
        }
        result.CopyTo(layout.Slice(Gradient, owned));
        return bytesSent;
    }

    /// <summary>Sends this owner's statistics to every worker and sums all owners' in position order (identical everywhere).</summary>
    private async Task<double[]> SumOverOwnersAsync(long iteration, int round, double[] statistics)
    {
        var clock = Stopwatch.StartNew();
        var n = WorldSize;
        var parts = new double[n][];
        parts[_position] = statistics;
        var payload = MemoryMarshal.AsBytes(statistics.AsSpan()).ToArray();
        var received = await ExchangeAsync(iteration, RingPhase.Statistics, (round * n) + _position, 0, payload, p => (round * n) + p);
        for (var p = 0; p < n; p++)
        {
            if (p == _position)
            {
                continue;
            }
            parts[p] = MemoryMarshal.Cast<byte, double>(received[p].Span).ToArray();
            if (parts[p].Length != statistics.Length)
            {
                throw new RingProtocolException($"Worker {Rank}: the owner at ring position {p} sent {parts[p].Length} statistics in round {round}, this owner has {statistics.Length}.");
            }
        }
        var totals = new double[statistics.Length];
        foreach (var part in parts)
        {
            for (var j = 0; j < totals.Length; j++)
            {
                totals[j] += part[j];
            }
        }
        _defenceSeconds += clock.Elapsed.TotalSeconds;
        return totals;
    }

    /// <summary>
    /// Sends <paramref name="payload"/> to every other member of the ring and waits for theirs; returns them by ring
    /// position (this worker's slot holds its own payload). Counted as defence bytes.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>[]> ExchangeAsync(long iteration, RingPhase phase, int step, int chunk, byte[] payload, Func<int, int> stepOf)
    {
        var n = WorldSize;
        var message = new ChunkMessage
        {
            ExperimentId = Assignment.Config.ExperimentId,
            Iteration = iteration,
            Phase = phase,
            Step = step,
            ChunkIndex = chunk,
            SenderRank = Rank,
            Generation = Assignment.Generation,
            Payload = payload,
        };
        var experiment = Assignment.Config.ExperimentId;
        var sent = Task.WhenAll(_ring.Where((_, p) => p != _position)
            .Select(rank => GrainFactory.GetGrain<IWorkerGrain>(WorkerKey.For(experiment, rank)).ReceiveDefenceMessageAsync(message)));
        _defenceBytes += (long)(n - 1) * payload.Length;
        var result = new ReadOnlyMemory<byte>[n];
        result[_position] = payload;
        for (var p = 0; p < n; p++)
        {
            if (p != _position)
            {
                result[p] = (await ReceiveAsync(new RingStepKey(iteration, phase, stepOf(p)), sent, Assignment.Config.StepTimeout)).Payload;
            }
        }
        await sent;
        return result;
    }

    /// <summary>Keeps the owner's reduced chunk for repairs and, with commitments, sends the commitment to every worker.</summary>
    private async Task PublishReducedChunkAsync(long iteration)
    {
        if (_defence is null)
        {
            return;
        }
        var owned = RingSchedule.OwnedChunk(_position, WorldSize);
        _reducedChunk = MemoryMarshal.AsBytes(_layout!.Slice((ReadOnlySpan<float>)Gradient, owned)).ToArray();
        _reducedIteration = iteration;
        if (!_defence.Has(DefenceHooks.Commitments))
        {
            return;
        }
        var context = DefenceContextFor(iteration);
        var reduced = MemoryMarshal.Cast<byte, float>(_reducedChunk.AsSpan()).ToArray();
        var commitment = await TimedAsync(iteration, Rank, () => _defence.Commit(context, owned, reduced));
        if (commitment.Length > MaxDigestBytes)
        {
            throw new PluginFailureException(_defence.Name, PluginHook.Commit, PluginFailureReason.InvalidResult, $"its commitment has {commitment.Length} bytes; at most {MaxDigestBytes} are allowed.");
        }
        var clock = Stopwatch.StartNew();
        _commitments = await ExchangeAsync(iteration, RingPhase.Commitment, _position, owned, commitment, p => p);
        _commitmentsIteration = iteration;
        _defenceSeconds += clock.Elapsed.TotalSeconds;
    }

    /// <summary>A received ring chunk through the defence: the values to use (a rejected allgather chunk is fetched from its owner).</summary>
    private async Task<float[]> CheckReceivedAsync(ChunkMessage incoming, ReadOnlyMemory<byte> payload, RingPhase phase, int step)
    {
        var iteration = incoming.Iteration;
        var layout = _layout!;
        var chunk = incoming.ChunkIndex;
        var values = MemoryMarshal.Cast<byte, float>(payload.Span).ToArray();
        var scatter = phase == RingPhase.ScatterReduce;
        var commitments = !scatter && _commitmentsIteration == iteration ? _commitments : [];
        var context = new ReceiveContext(
            DefenceContextFor(iteration),
            scatter ? DefencePhase.ScatterReduce : DefencePhase.AllGather,
            step,
            Array.IndexOf(_ring, incoming.SenderRank),
            chunk,
            layout.Offset(chunk),
            layout.Length,
            scatter ? step + 1 : WorldSize,
            RingSchedule.OwnerOf(chunk, WorldSize),
            commitments);
        if (await TimedAsync(incoming.Iteration, incoming.SenderRank, () => _defence!.OnReceive(context, values)) == ReceiveVerdict.Accept)
        {
            return values;
        }
        if (scatter)
        {
            Array.Clear(values);
            return values;
        }
        return await RepairAsync(iteration, chunk);
    }

    /// <summary>The finished chunk straight from its owner; its bytes count as the defence's.</summary>
    private async Task<float[]> RepairAsync(long iteration, int chunk)
    {
        var clock = Stopwatch.StartNew();
        var bytes = await OwnerGrain(chunk).GetReducedChunkAsync(iteration, chunk);
        if (bytes.Length != _layout!.ChunkLength(chunk) * sizeof(float))
        {
            throw new RingProtocolException($"Worker {Rank}: the owner of chunk {chunk} returned {bytes.Length} bytes for it.");
        }
        _defenceBytes += bytes.Length;
        _defenceSeconds += clock.Elapsed.TotalSeconds;
        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).ToArray();
    }

    /// <summary>After allgather: replica attestations (and the repairs they ask for), then the defence's hook on the averaged gradient.</summary>
    private async Task DefendAggregateAsync(long iteration)
    {
        if (_defence is null)
        {
            return;
        }
        var context = DefenceContextFor(iteration);
        if (_defence.Has(DefenceHooks.ReplicaAttestation) || _defence.Has(DefenceHooks.Aggregate))
        {
            // The last allgather chunk this worker sent is a slice of the buffer that its successor, on the same silo,
            // may not have copied yet: edit a copy, never the bytes in flight.
            _gradient = (byte[])_gradient.Clone();
        }
        if (_defence.Has(DefenceHooks.ReplicaAttestation))
        {
            var replica = Gradient.ToArray();
            var attestation = await TimedAsync(iteration, Rank, () => _defence.Attest(context, replica));
            if (attestation.Length > MaxDigestBytes)
            {
                throw new PluginFailureException(_defence.Name, PluginHook.Attestation, PluginFailureReason.InvalidResult, $"its attestation has {attestation.Length} bytes; at most {MaxDigestBytes} are allowed.");
            }
            var clock = Stopwatch.StartNew();
            var attestations = await ExchangeAsync(iteration, RingPhase.Attestation, _position, 0, attestation, p => p);
            _defenceSeconds += clock.Elapsed.TotalSeconds;
            var repairs = await TimedAsync(iteration, Rank, () => _defence.CompareAttestations(context, attestations));
            foreach (var chunk in repairs)
            {
                var values = await RepairAsync(iteration, chunk);
                values.CopyTo(_layout!.Slice(Gradient, chunk));
            }
        }
        if (_defence.Has(DefenceHooks.Aggregate))
        {
            await TimedAsync(iteration, Rank, () =>
            {
                _defence.OnAggregate(context, MemoryMarshal.Cast<byte, float>(_gradient.AsSpan()));
                return true;
            });
        }
    }

    private IWorkerGrain OwnerGrain(int chunk) =>
        GrainFactory.GetGrain<IWorkerGrain>(WorkerKey.For(Assignment.Config.ExperimentId, _ring[RingSchedule.OwnerOf(chunk, WorldSize)]));
}
