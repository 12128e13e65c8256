namespace OrleansRing.Telemetry;

/// <summary>
/// One span as a Chrome trace-event complete event (<c>"ph": "X"</c>): a bar on track
/// (<see cref="ProcessId"/>, <see cref="ThreadId"/>) from <see cref="StartMicroseconds"/> (relative to the document's
/// origin) lasting <see cref="DurationMicroseconds"/>. <see cref="Category"/> is the span name (e.g.
/// <see cref="RingSpans.Step"/>); <see cref="Args"/> holds its OrleansRing attributes (long, double, bool or string values).
/// </summary>
public sealed record TimelineEvent
{
    public required string Name { get; init; }

    public required string Category { get; init; }

    public required int ProcessId { get; init; }

    public required int ThreadId { get; init; }

    public required long StartMicroseconds { get; init; }

    public required long DurationMicroseconds { get; init; }

    public IReadOnlyDictionary<string, object> Args { get; init; } = new Dictionary<string, object>();

    public long EndMicroseconds => StartMicroseconds + DurationMicroseconds;

    /// <summary>An integer argument (e.g. <see cref="RingAttributes.Iteration"/>), or null when absent or not an integer.</summary>
    public long? GetLong(string name) => Args.TryGetValue(name, out var value) && value is long number ? number : null;

    public string? GetString(string name) => Args.TryGetValue(name, out var value) ? value as string : null;
}
