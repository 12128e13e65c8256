using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansRing.Telemetry;

/// <summary>
/// Records this silo's OrleansRing spans, per experiment and track, for the timeline. Enabled, it listens to
/// <see cref="RingTelemetry.Source"/> (so ring spans are created even without an exporter); disabled, it registers no
/// listener and costs nothing. A worker hands its track over with <see cref="TakeFragment"/> at the end of a run.
/// </summary>
/// <remarks>
/// <see cref="ActivityListener"/>s are process-wide: several silos in one process (the in-process test cluster) each
/// see every silo's spans, so a recorder given its <see cref="Silo"/> keeps only spans tagged with that silo.
/// </remarks>
public sealed class TimelineRecorder : IDisposable
{
    /// <summary>
    /// Spans kept per track: a worker has about 2·(N−1) + 5 per iteration, so 10,000 cover about 500 iterations of an
    /// 8-worker ring. At some 350 bytes of JSON a span, 16 full tracks stay well within one Orleans message (100 MB).
    /// </summary>
    public const int DefaultCapacityPerTrack = 10_000;

    private readonly ConcurrentDictionary<TimelineTrackKey, TimelineTrackBuffer> _tracks = new();
    private readonly ActivityListener? _listener;
    private readonly int _capacityPerTrack;

    public TimelineRecorder(bool enabled, string silo, int capacityPerTrack = DefaultCapacityPerTrack)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityPerTrack, 1);
        Silo = silo;
        _capacityPerTrack = capacityPerTrack;
        if (enabled)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == RingTelemetry.SourceName,
                // All data, but not "recorded": the recorder must not turn on export for an exporter's sampler.
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = OnStopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }
    }

    public bool IsEnabled => _listener is not null;

    /// <summary>The silo name that this silo's grains put in <see cref="RingAttributes.Silo"/>.</summary>
    public string Silo { get; }

    /// <summary>
    /// The recorded spans of <paramref name="experimentId"/>'s <paramref name="rank"/> (null: its coordinator) as a
    /// one-track fragment with absolute times, forgetting them.
    /// </summary>
    public TimelineDocument TakeFragment(string experimentId, int? rank)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        var key = new TimelineTrackKey(experimentId, rank ?? TimelineTrackKey.CoordinatorRank);
        if (!_tracks.TryRemove(key, out var buffer))
        {
            return new TimelineDocument { ExperimentId = experimentId };
        }
        var (spans, dropped) = buffer.Take();
        var track = key.Track;
        return new TimelineDocument
        {
            ExperimentId = experimentId,
            Tracks = [track],
            Events = TimelineDocument.Sorted(spans.Select(span => ToEvent(span, track))),
            DroppedEvents = dropped,
        };
    }

    /// <summary>Drops what was recorded for the track (a worker released without its timeline being taken).</summary>
    public void Forget(string experimentId, int? rank) =>
        _tracks.TryRemove(new TimelineTrackKey(experimentId, rank ?? TimelineTrackKey.CoordinatorRank), out _);

    public void Dispose() => _listener?.Dispose();

    private void OnStopped(Activity activity)
    {
        if (activity.GetTagItem(RingAttributes.ExperimentId) is not string experimentId
            || activity.GetTagItem(RingAttributes.Silo) is not string silo || silo != Silo)
        {
            return;
        }
        var rank = activity.GetTagItem(RingAttributes.Rank) is int r ? r : TimelineTrackKey.CoordinatorRank;
        _tracks.GetOrAdd(new TimelineTrackKey(experimentId, rank), static (_, capacity) => new TimelineTrackBuffer(capacity), _capacityPerTrack).Add(activity);
    }

    private static TimelineEvent ToEvent(Activity activity, TimelineTrack track) => new()
    {
        Name = Label(activity),
        Category = activity.OperationName,
        ProcessId = track.ProcessId,
        ThreadId = track.ThreadId,
        StartMicroseconds = (activity.StartTimeUtc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond,
        DurationMicroseconds = activity.Duration.Ticks / TimeSpan.TicksPerMicrosecond,
        Args = Args(activity),
    };

    private static string Label(Activity activity) => activity.OperationName switch
    {
        RingSpans.Step => $"{activity.GetTagItem(RingAttributes.Phase)} {activity.GetTagItem(RingAttributes.Step)}",
        RingSpans.Iteration or RingSpans.WorkerIteration => $"iteration {activity.GetTagItem(RingAttributes.Iteration)}",
        RingSpans.Experiment => $"experiment {activity.GetTagItem(RingAttributes.ExperimentId)}",
        RingSpans.Attack => $"attack {activity.GetTagItem(RingAttributes.AttackName)} ({activity.GetTagItem(RingAttributes.AttackHook)})",
        RingSpans.Defence => $"defence {activity.GetTagItem(RingAttributes.DefenceName)} on rank {activity.GetTagItem(RingAttributes.DefenceRank)}",
        RingSpans.Exclusion => $"exclude rank {activity.GetTagItem(RingAttributes.ExcludedRank)}",
        var name when name.StartsWith("orleansring.", StringComparison.Ordinal) => name["orleansring.".Length..],
        var name => name,
    };

    private static Dictionary<string, object> Args(Activity activity)
    {
        var args = new Dictionary<string, object>(StringComparer.Ordinal);
        // The experiment id is the document's, and the silo says only once per worker iteration where it ran.
        var keepSilo = activity.OperationName is RingSpans.WorkerIteration or RingSpans.Experiment;
        foreach (var (key, value) in activity.TagObjects)
        {
            if (key == RingAttributes.ExperimentId || (key == RingAttributes.Silo && !keepSilo))
            {
                continue;
            }
            object? converted = value switch
            {
                int i => (long)i,
                long l => l,
                double d => d,
                bool b => b,
                string s => s,
                null => null,
                var other => other.ToString(),
            };
            if (converted is not null)
            {
                args[key] = converted;
            }
        }
        args["trace_id"] = activity.TraceId.ToHexString();
        args["span_id"] = activity.SpanId.ToHexString();
        if (activity.Status == ActivityStatusCode.Error)
        {
            args["error"] = activity.StatusDescription ?? "error";
        }
        return args;
    }
}
