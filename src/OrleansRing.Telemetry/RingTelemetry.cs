using System.Diagnostics;

namespace OrleansRing.Telemetry;

/// <summary>
/// The ring's <see cref="ActivitySource"/> and helpers that start its spans with their attributes. Every helper
/// returns null when nothing listens (no exporter, no timeline recorder): then a ring step costs one
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> call and no allocation.
/// </summary>
public static class RingTelemetry
{
    /// <summary>The name of both the ActivitySource and the Meter: add it to a tracer and a meter provider.</summary>
    public const string SourceName = "OrleansRing";

    public const string MeterName = SourceName;

    public static ActivitySource Source { get; } = new(SourceName, typeof(RingTelemetry).Assembly.GetName().Version?.ToString());

    public static Activity? StartExperiment(string experimentId, string silo, int workers, int iterations, string model, string? attack, bool resumed)
    {
        var activity = Source.StartActivity(RingSpans.Experiment);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.ExperimentId, experimentId);
            activity.SetTag(RingAttributes.Silo, silo);
            activity.SetTag(RingAttributes.Workers, workers);
            activity.SetTag(RingAttributes.Iterations, iterations);
            activity.SetTag(RingAttributes.Model, model);
            activity.SetTag(RingAttributes.Resumed, resumed);
            if (attack is not null)
            {
                activity.SetTag(RingAttributes.AttackName, AttackName(attack));
            }
        }
        return activity;
    }

    /// <summary>The coordinator's span of one iteration; the workers' iteration spans are its descendants.</summary>
    public static Activity? StartIteration(string experimentId, string silo, long iteration, int generation) =>
        Start(RingSpans.Iteration, experimentId, silo, iteration, generation);

    public static Activity? StartEvaluation(string experimentId, string silo, long iteration) =>
        Start(RingSpans.Evaluate, experimentId, silo, iteration, generation: null);

    public static Activity? StartWorkerIteration(string experimentId, string silo, long iteration, int rank, int workers, int generation, bool benchmark)
    {
        var activity = StartOnWorker(RingSpans.WorkerIteration, experimentId, silo, iteration, rank);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.Workers, workers);
            activity.SetTag(RingAttributes.Generation, generation);
            if (benchmark)
            {
                activity.SetTag(RingAttributes.Benchmark, true);
            }
        }
        return activity;
    }

    /// <summary>A worker-local span without further attributes: <see cref="RingSpans.Compute"/>, <see cref="RingSpans.Optimizer"/>, <see cref="RingSpans.Checkpoint"/>.</summary>
    public static Activity? StartOnWorker(string name, string experimentId, string silo, long iteration, int rank)
    {
        var activity = Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.ExperimentId, experimentId);
            activity.SetTag(RingAttributes.Silo, silo);
            activity.SetTag(RingAttributes.Iteration, iteration);
            activity.SetTag(RingAttributes.Rank, rank);
        }
        return activity;
    }

    /// <summary>
    /// One ring step on <paramref name="rank"/>. Its <see cref="Activity.Id"/> travels with the chunk it sends, and the
    /// successor links its own step span to it (<see cref="LinkToSender"/>).
    /// </summary>
    public static Activity? StartStep(string experimentId, string silo, long iteration, int rank, int successor, int predecessor, string phase, int step, int chunk, long bytes)
    {
        var activity = StartOnWorker(RingSpans.Step, experimentId, silo, iteration, rank);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.Successor, successor);
            activity.SetTag(RingAttributes.Predecessor, predecessor);
            activity.SetTag(RingAttributes.Phase, phase);
            activity.SetTag(RingAttributes.Step, step);
            activity.SetTag(RingAttributes.ChunkIndex, chunk);
            activity.SetTag(RingAttributes.Bytes, bytes);
        }
        return activity;
    }

    /// <summary>
    /// Links the receiver's step span to the sender's, whose W3C <c>traceparent</c> came with the chunk; the two
    /// spans belong to different call chains (each worker runs its own iteration), so a link, not a parent.
    /// </summary>
    public static void LinkToSender(Activity? step, string? senderTraceParent, int receivedChunk)
    {
        if (step is null)
        {
            return;
        }
        if (step.IsAllDataRequested)
        {
            step.SetTag(RingAttributes.ReceivedChunkIndex, receivedChunk);
        }
        if (senderTraceParent is not null && ActivityContext.TryParse(senderTraceParent, traceState: null, isRemote: true, out var sender))
        {
            step.AddLink(new ActivityLink(sender));
        }
    }

    public static Activity? StartChunkPersist(string experimentId, string silo, long iteration, int rank, string persistence, long bytes) =>
        StartChunkIo(RingSpans.ChunkPersist, experimentId, silo, iteration, rank, persistence, bytes);

    public static Activity? StartChunkLoad(string experimentId, string silo, long iteration, int rank, long bytes) =>
        StartChunkIo(RingSpans.ChunkLoad, experimentId, silo, iteration, rank, "reference", bytes);

    /// <summary>An attack hook on a malicious worker; <paramref name="attack"/> may carry parameters ("name:k=v"), which are dropped.</summary>
    public static Activity? StartAttack(string experimentId, string silo, long iteration, int rank, string attack, string hook)
    {
        var activity = StartOnWorker(RingSpans.Attack, experimentId, silo, iteration, rank);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.AttackName, AttackName(attack));
            activity.SetTag(RingAttributes.AttackHook, hook);
        }
        return activity;
    }

    /// <summary>
    /// For defences: wrap the examination of one rank's contribution in this span, then call
    /// <see cref="SetDetected"/> and, when it flags, <see cref="RingMetrics.RecordDetection"/>. Pass
    /// <paramref name="runningOnRank"/> only when the defence runs on a worker (it selects the timeline track);
    /// on the coordinator leave it null.
    /// </summary>
    public static Activity? StartDefence(string experimentId, string silo, long iteration, string defence, int judgedRank, int? runningOnRank = null)
    {
        var activity = runningOnRank is { } rank
            ? StartOnWorker(RingSpans.Defence, experimentId, silo, iteration, rank)
            : Start(RingSpans.Defence, experimentId, silo, iteration, generation: null);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.DefenceName, defence);
            activity.SetTag(RingAttributes.DefenceRank, judgedRank);
        }
        return activity;
    }

    public static void SetDetected(Activity? defence, bool detected)
    {
        if (defence is { IsAllDataRequested: true })
        {
            defence.SetTag(RingAttributes.DefenceDetected, detected);
        }
    }

    /// <summary>For the coordinator: wrap taking <paramref name="excludedRank"/> out of the ring (rebuilding the ring included).</summary>
    public static Activity? StartExclusion(string experimentId, string silo, long iteration, int excludedRank, string reason)
    {
        var activity = Start(RingSpans.Exclusion, experimentId, silo, iteration, generation: null);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.ExcludedRank, excludedRank);
            activity.SetTag(RingAttributes.ExclusionReason, reason);
        }
        return activity;
    }

    /// <summary>
    /// Marks <paramref name="activity"/> failed and returns false, so that it can sit in an exception filter
    /// (<c>catch (Exception ex) when (RingTelemetry.Failed(span, ex))</c>) that records without catching.
    /// </summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            if (activity.IsAllDataRequested)
            {
                activity.AddException(exception);
            }
        }
        return false;
    }

    /// <summary>"gradient-ascent:scale=-4" → "gradient-ascent".</summary>
    public static string AttackName(string selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var colon = selection.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? selection : selection[..colon]).Trim().ToLowerInvariant();
    }

    private static Activity? Start(string name, string experimentId, string silo, long iteration, int? generation)
    {
        var activity = Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.ExperimentId, experimentId);
            activity.SetTag(RingAttributes.Silo, silo);
            activity.SetTag(RingAttributes.Iteration, iteration);
            if (generation is { } g)
            {
                activity.SetTag(RingAttributes.Generation, g);
            }
        }
        return activity;
    }

    private static Activity? StartChunkIo(string name, string experimentId, string silo, long iteration, int rank, string persistence, long bytes)
    {
        var activity = StartOnWorker(name, experimentId, silo, iteration, rank);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RingAttributes.Persistence, persistence);
            activity.SetTag(RingAttributes.Bytes, bytes);
        }
        return activity;
    }
}
