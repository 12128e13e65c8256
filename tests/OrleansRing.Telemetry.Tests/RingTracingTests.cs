using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrleansRing.Abstractions;
using OrleansRing.Collectives;
using OrleansRing.Hosting;

namespace OrleansRing.Telemetry.Tests;

/// <summary>Traces, metrics and the timeline of real runs on three in-process silos, captured by the in-memory exporter.</summary>
public sealed class RingTracingTests(RingClusterFixture fixture) : IClassFixture<RingClusterFixture>
{
    private static ExperimentConfig SmallRun(string id, int workers, int iterations) => new()
    {
        ExperimentId = id,
        Workers = workers,
        Iterations = iterations,
        BatchSize = 16,
        EvaluationInterval = iterations,
        Data = new DataSourceSpec { SyntheticTrainCount = 256, SyntheticTestCount = 32 },
    };

    [Fact]
    public async Task FourWorkersTwoIterations_GiveOneStepSpanPerWorkerPhaseAndStep_UnderItsIteration_LinkedToItsSender()
    {
        const int n = 4;
        const int iterations = 2;
        var id = $"traced-{Guid.NewGuid():N}";
        var spans = new List<Activity>();
        var stepMeasurements = 0;
        long bytesMeasured = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RingTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == RingMetrics.StepDurationName)
            {
                Interlocked.Increment(ref stepMeasurements);
            }
        });
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == RingMetrics.BytesSentName && Tag(tags, RingAttributes.ExperimentId) == id)
            {
                Interlocked.Add(ref bytesMeasured, value);
            }
        });
        meters.Start();
        ExperimentResult result;
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddOrleansRingInstrumentation()
            .AddInMemoryExporter(spans)
            .Build())
        {
            result = await ExperimentPolling.RunToEndAsync(fixture.Grains, SmallRun(id, n, iterations));
            tracing.ForceFlush();
        }
        meters.Dispose();

        Assert.Equal(ExperimentState.Completed, result.State);
        var all = spans.ToList();
        var byId = all.ToDictionary(s => s.SpanId);
        var mine = all.Where(s => Tag(s, RingAttributes.ExperimentId) == id).ToList();
        var steps = mine.Where(s => s.OperationName == RingSpans.Step).ToList();
        Assert.Equal(2 * 2 * (n - 1) * n, steps.Count);
        var expectedKeys = from i in Enumerable.Range(0, iterations)
                           from r in Enumerable.Range(0, n)
                           from p in new[] { RingAttributes.PhaseScatterReduce, RingAttributes.PhaseAllGather }
                           from s in Enumerable.Range(0, n - 1)
                           select (i, r, p, s);
        Assert.Equal(expectedKeys.ToHashSet(), steps.Select(Key).ToHashSet());

        var layout = new ChunkLayout(result.ParameterCount, n);
        var experiment = Assert.Single(mine, s => s.OperationName == RingSpans.Experiment);
        foreach (var step in steps)
        {
            var (iteration, rank, phase, index) = Key(step);
            var parent = byId[step.ParentSpanId];
            Assert.Equal(RingSpans.WorkerIteration, parent.OperationName);
            Assert.Equal((long)iteration, Long(parent, RingAttributes.Iteration));
            Assert.Equal(rank, Long(parent, RingAttributes.Rank));
            Assert.Equal((rank + 1) % n, Long(step, RingAttributes.Successor));
            Assert.Equal((rank + n - 1) % n, Long(step, RingAttributes.Predecessor));
            var sent = phase == RingAttributes.PhaseScatterReduce ? RingSchedule.ScatterReduceSendChunk(rank, index, n) : RingSchedule.AllGatherSendChunk(rank, index, n);
            var received = phase == RingAttributes.PhaseScatterReduce ? RingSchedule.ScatterReduceReceiveChunk(rank, index, n) : RingSchedule.AllGatherReceiveChunk(rank, index, n);
            Assert.Equal(sent, Long(step, RingAttributes.ChunkIndex));
            Assert.Equal(received, Long(step, RingAttributes.ReceivedChunkIndex));
            Assert.Equal(layout.ChunkLength(sent) * sizeof(float), Long(step, RingAttributes.Bytes));

            // The worker's iteration runs inside the coordinator's span of the same iteration, inside the experiment.
            var ancestors = Ancestors(parent, byId).ToList();
            Assert.Contains(ancestors, a => a.OperationName == RingSpans.Iteration && Long(a, RingAttributes.Iteration) == iteration);
            Assert.Contains(experiment, ancestors);

            var sender = steps.Single(s => Key(s) == (iteration, (rank + n - 1) % n, phase, index));
            var link = Assert.Single(step.Links);
            Assert.Equal(sender.SpanId, link.Context.SpanId);
            Assert.Equal(sender.TraceId, link.Context.TraceId);
        }
        var compute = mine.Where(s => s.OperationName == RingSpans.Compute).ToList();
        Assert.Equal(iterations * n, compute.Count);
        Assert.All(compute, c => Assert.Equal(RingSpans.WorkerIteration, byId[c.ParentSpanId].OperationName));
        // Async persistence (the default): every chunk sent is persisted once.
        Assert.Equal(steps.Count, mine.Count(s => s.OperationName == RingSpans.ChunkPersist));
        Assert.Equal(iterations, mine.Count(s => s.OperationName == RingSpans.Iteration));

        Assert.Equal(steps.Count, stepMeasurements);
        Assert.Equal(result.BytesSentPerWorker.Sum(), bytesMeasured);
    }

    [Fact]
    public async Task Timeline_HasOneTrackPerWorker_AndOneBarPerStep_InsideItsWorkersIteration()
    {
        const int n = 4;
        const int iterations = 2;
        var id = $"timeline-{Guid.NewGuid():N}";
        var path = Path.Combine(fixture.ChunkFolder, $"{id}.json");
        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, SmallRun(id, n, iterations) with { Persistence = ChunkPersistence.Off });

        var timeline = await ExperimentTimeline.WriteAsync(fixture.Grains, id, path);

        Assert.Equal(ExperimentState.Completed, result.State);
        // Valid trace-event JSON, read without our own reader: one thread_name per worker in the workers' process.
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)))
        {
            var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
            var workerThreads = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name"
                && e.GetProperty("pid").GetInt32() == TimelineDocument.WorkersProcessId).Select(e => e.GetProperty("tid").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(0, n), workerThreads.Order());
            var stepBars = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("cat").GetString() == RingSpans.Step).ToList();
            Assert.Equal(iterations * 2 * (n - 1) * n, stepBars.Count);
            Assert.All(stepBars, e => Assert.Equal(e.GetProperty("args").GetProperty(RingAttributes.Rank).GetInt32(), e.GetProperty("tid").GetInt32()));
        }
        Assert.Equal(id, timeline.ExperimentId);
        Assert.Equal(n, timeline.WorkerTracks.Count());
        Assert.Contains(TimelineTrack.Coordinator, timeline.Tracks);
        foreach (var track in timeline.WorkerTracks)
        {
            var onTrack = timeline.EventsOn(track).ToList();
            var workerIterations = onTrack.Where(e => e.Category == RingSpans.WorkerIteration).ToList();
            Assert.Equal(iterations, workerIterations.Count);
            var steps = onTrack.Where(e => e.Category == RingSpans.Step).ToList();
            Assert.Equal(2 * (n - 1) * iterations, steps.Count);
            Assert.All(steps, step =>
            {
                var owner = workerIterations.Single(w => w.GetLong(RingAttributes.Iteration) == step.GetLong(RingAttributes.Iteration));
                Assert.InRange(step.StartMicroseconds, owner.StartMicroseconds, owner.EndMicroseconds);
                Assert.InRange(step.EndMicroseconds, owner.StartMicroseconds, owner.EndMicroseconds);
            });
        }
        Assert.Equal(iterations, timeline.EventsOn(TimelineTrack.Coordinator).Count(e => e.Category == RingSpans.Iteration));
        var reloaded = TimelineDocument.Load(path);
        Assert.Equal(timeline.Tracks, reloaded.Tracks);
        Assert.Equal(timeline.Events.Select(e => (e.Name, e.ThreadId, e.StartMicroseconds)), reloaded.Events.Select(e => (e.Name, e.ThreadId, e.StartMicroseconds)));
    }

    [Fact]
    public async Task TransmittingAttacker_InReferenceMode_HasAnAttackSpanPerSend_AndEveryChunkIsPersistedAndLoaded()
    {
        const int n = 4;
        var id = $"attacked-{Guid.NewGuid():N}";
        var spans = new List<Activity>();
        ExperimentResult result;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(RingTelemetry.SourceName).AddInMemoryExporter(spans).Build())
        {
            result = await ExperimentPolling.RunToEndAsync(fixture.Grains, SmallRun(id, n, iterations: 1) with
            {
                Attack = "gradient-ascent:scope=transmitted",
                AttackerRanks = "1",
                Persistence = ChunkPersistence.Reference,
            });
            tracing.ForceFlush();
        }

        Assert.Equal(ExperimentState.Completed, result.State);
        var mine = spans.Where(s => Tag(s, RingAttributes.ExperimentId) == id).ToList();
        var attacks = mine.Where(s => s.OperationName == RingSpans.Attack).ToList();
        Assert.Equal(2 * (n - 1), attacks.Count);
        Assert.All(attacks, a =>
        {
            Assert.Equal(1, Long(a, RingAttributes.Rank));
            Assert.Equal("gradient-ascent", Tag(a, RingAttributes.AttackName));
            Assert.Equal("transmit", Tag(a, RingAttributes.AttackHook));
            Assert.Equal(RingSpans.Step, spans.Single(s => s.SpanId == a.ParentSpanId).OperationName);
        });
        Assert.Equal(2 * (n - 1) * n, mine.Count(s => s.OperationName == RingSpans.ChunkPersist && Tag(s, RingAttributes.Persistence) == "reference"));
        Assert.Equal(2 * (n - 1) * n, mine.Count(s => s.OperationName == RingSpans.ChunkLoad));
    }

    private static (int Iteration, int Rank, string Phase, int Step) Key(Activity step) =>
        ((int)Long(step, RingAttributes.Iteration), (int)Long(step, RingAttributes.Rank), Tag(step, RingAttributes.Phase)!, (int)Long(step, RingAttributes.Step));

    private static IEnumerable<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var current = span;
        while (current.ParentSpanId != default && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    private static long Long(Activity span, string name) => span.GetTagItem(name) switch
    {
        int i => i,
        long l => l,
        var other => throw new InvalidOperationException($"{span.OperationName} has {name} = {other ?? "nothing"}"),
    };

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }
        return null;
    }
}
