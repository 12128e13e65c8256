using System.Text.Json;

namespace OrleansRing.Telemetry;

/// <summary>
/// An experiment's timeline: tracks (the coordinator and one per worker) and the spans recorded on them, read from and
/// written as Chrome trace-event JSON (object form), which Perfetto and chrome://tracing open. See docs/telemetry.md
/// for the exact format. Silos produce fragments (one track each, absolute times); <see cref="Merge"/> joins them.
/// </summary>
public sealed record TimelineDocument
{
    /// <summary>The value of <c>otherData.format</c> in files this type writes.</summary>
    public const string FormatName = "orleansring.timeline/1";

    public const int CoordinatorProcessId = 0;

    public const int WorkersProcessId = 1;

    public required string ExperimentId { get; init; }

    /// <summary>Unix time in microseconds of timestamp 0; a fragment has 0 (its timestamps are Unix microseconds).</summary>
    public long OriginUnixMicroseconds { get; init; }

    /// <summary>Coordinator first, then workers by rank.</summary>
    public IReadOnlyList<TimelineTrack> Tracks { get; init; } = [];

    /// <summary>Ordered by start time; on one track an enclosing span comes before the spans inside it.</summary>
    public IReadOnlyList<TimelineEvent> Events { get; init; } = [];

    /// <summary>Spans a recorder did not keep because a track reached its capacity.</summary>
    public long DroppedEvents { get; init; }

    public IEnumerable<TimelineTrack> WorkerTracks => Tracks.Where(t => t.Rank is not null);

    public IEnumerable<TimelineEvent> EventsOn(TimelineTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Events.Where(e => e.ProcessId == track.ProcessId && e.ThreadId == track.ThreadId);
    }

    /// <summary>The ring-step events (one per worker, iteration, phase and step).</summary>
    public IEnumerable<TimelineEvent> StepEvents => Events.Where(e => e.Category == RingSpans.Step);

    /// <summary>Joins fragments (or documents) of one experiment; the result's origin is its earliest span.</summary>
    public static TimelineDocument Merge(string experimentId, IEnumerable<TimelineDocument> parts)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        ArgumentNullException.ThrowIfNull(parts);
        var tracks = new Dictionary<(int, int), TimelineTrack>();
        var events = new List<TimelineEvent>();
        long dropped = 0;
        foreach (var part in parts)
        {
            if (part.ExperimentId.Length > 0 && part.ExperimentId != experimentId)
            {
                throw new ArgumentException($"A timeline fragment of experiment '{part.ExperimentId}' cannot join the timeline of '{experimentId}'.", nameof(parts));
            }
            foreach (var track in part.Tracks)
            {
                tracks.TryAdd((track.ProcessId, track.ThreadId), track);
            }
            events.AddRange(part.Events.Select(e => e with { StartMicroseconds = e.StartMicroseconds + part.OriginUnixMicroseconds }));
            dropped += part.DroppedEvents;
        }
        var origin = events.Count == 0 ? 0 : events.Min(e => e.StartMicroseconds);
        return new TimelineDocument
        {
            ExperimentId = experimentId,
            OriginUnixMicroseconds = origin,
            Tracks = [.. tracks.Values.OrderBy(t => t.ProcessId).ThenBy(t => t.ThreadId)],
            Events = Sorted(events.Select(e => e with { StartMicroseconds = e.StartMicroseconds - origin })),
            DroppedEvents = dropped,
        };
    }

    /// <summary>The document as trace-event JSON (UTF-8).</summary>
    public byte[] ToJsonBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        TimelineJson.Write(writer, this);
    }

    /// <summary>Writes the file (creating its folder), replacing any earlier one.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        using var file = File.Create(path);
        WriteTo(file);
    }

    /// <summary>Reads trace-event JSON; <see cref="TimelineFormatException"/> names what is wrong and where.</summary>
    public static TimelineDocument Parse(ReadOnlyMemory<byte> json, string source = "timeline")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new TimelineFormatException($"{source} is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            return TimelineJson.Read(document.RootElement, source);
        }
    }

    public static TimelineDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    internal static IReadOnlyList<TimelineEvent> Sorted(IEnumerable<TimelineEvent> events) =>
        [.. events.OrderBy(e => e.StartMicroseconds).ThenByDescending(e => e.DurationMicroseconds).ThenBy(e => e.ProcessId).ThenBy(e => e.ThreadId)];
}
