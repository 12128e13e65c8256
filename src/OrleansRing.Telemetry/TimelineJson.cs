using System.Globalization;
using System.Text.Json;

namespace OrleansRing.Telemetry;

/// <summary>The trace-event JSON of <see cref="TimelineDocument"/>: metadata events name processes and threads, "X" events are spans.</summary>
internal static class TimelineJson
{
    private const string ProcessName = "process_name";
    private const string ProcessSortIndex = "process_sort_index";
    private const string ThreadName = "thread_name";
    private const string ThreadSortIndex = "thread_sort_index";

    public static void Write(Utf8JsonWriter writer, TimelineDocument document)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("traceEvents");
        foreach (var process in document.Tracks.Select(t => t.ProcessId).Distinct().Order())
        {
            var name = process == TimelineDocument.CoordinatorProcessId ? "coordinator" : process == TimelineDocument.WorkersProcessId ? "workers" : $"process {process}";
            Metadata(writer, ProcessName, process, 0, "name", name);
            Metadata(writer, ProcessSortIndex, process, 0, "sort_index", process);
        }
        foreach (var track in document.Tracks)
        {
            Metadata(writer, ThreadName, track.ProcessId, track.ThreadId, "name", track.Name);
            Metadata(writer, ThreadSortIndex, track.ProcessId, track.ThreadId, "sort_index", track.ThreadId);
        }
        foreach (var e in document.Events)
        {
            writer.WriteStartObject();
            writer.WriteString("name", e.Name);
            writer.WriteString("cat", e.Category);
            writer.WriteString("ph", "X");
            writer.WriteNumber("ts", e.StartMicroseconds);
            writer.WriteNumber("dur", e.DurationMicroseconds);
            writer.WriteNumber("pid", e.ProcessId);
            writer.WriteNumber("tid", e.ThreadId);
            writer.WriteStartObject("args");
            foreach (var (key, value) in e.Args)
            {
                switch (value)
                {
                    case long number:
                        writer.WriteNumber(key, number);
                        break;
                    case double real:
                        writer.WriteNumber(key, real);
                        break;
                    case bool flag:
                        writer.WriteBoolean(key, flag);
                        break;
                    default:
                        writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("displayTimeUnit", "ms");
        writer.WriteStartObject("otherData");
        writer.WriteString("format", TimelineDocument.FormatName);
        writer.WriteString("experimentId", document.ExperimentId);
        writer.WriteNumber("originUnixMicroseconds", document.OriginUnixMicroseconds);
        writer.WriteNumber("droppedEvents", document.DroppedEvents);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    public static TimelineDocument Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("traceEvents", out var traceEvents) || traceEvents.ValueKind != JsonValueKind.Array)
        {
            throw new TimelineFormatException($"{source}: expected a JSON object with a 'traceEvents' array.");
        }
        var experimentId = string.Empty;
        long origin = 0;
        long dropped = 0;
        if (root.TryGetProperty("otherData", out var other) && other.ValueKind == JsonValueKind.Object)
        {
            if (other.TryGetProperty("format", out var format) && format.GetString() != TimelineDocument.FormatName)
            {
                throw new TimelineFormatException($"{source}: otherData.format is '{format}', expected '{TimelineDocument.FormatName}'.");
            }
            experimentId = other.TryGetProperty("experimentId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
            origin = other.TryGetProperty("originUnixMicroseconds", out var o) && o.TryGetInt64(out var ov) ? ov : 0;
            dropped = other.TryGetProperty("droppedEvents", out var d) && d.TryGetInt64(out var dv) ? dv : 0;
        }
        var tracks = new Dictionary<(int, int), TimelineTrack>();
        var events = new List<TimelineEvent>();
        var index = 0;
        foreach (var e in traceEvents.EnumerateArray())
        {
            var where = $"{source}: traceEvents[{index++}]";
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new TimelineFormatException($"{where} is not an object.");
            }
            var phase = RequiredString(e, "ph", where);
            if (phase == "M")
            {
                if (RequiredString(e, "name", where) == ThreadName)
                {
                    var key = (RequiredInt(e, "pid", where), RequiredInt(e, "tid", where));
                    var name = e.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object && args.TryGetProperty("name", out var n) ? n.GetString() : null;
                    tracks[key] = new TimelineTrack(key.Item1, key.Item2, name ?? throw new TimelineFormatException($"{where}: thread_name without args.name."));
                }
                continue;
            }
            if (phase != "X")
            {
                continue; // Other event kinds may appear in hand-edited files; the model has only complete events.
            }
            events.Add(new TimelineEvent
            {
                Name = RequiredString(e, "name", where),
                Category = e.TryGetProperty("cat", out var cat) ? cat.GetString() ?? string.Empty : string.Empty,
                ProcessId = RequiredInt(e, "pid", where),
                ThreadId = RequiredInt(e, "tid", where),
                StartMicroseconds = RequiredMicroseconds(e, "ts", where),
                DurationMicroseconds = RequiredMicroseconds(e, "dur", where),
                Args = ReadArgs(e),
            });
        }
        foreach (var e in events.Where(e => !tracks.ContainsKey((e.ProcessId, e.ThreadId))).ToList())
        {
            tracks[(e.ProcessId, e.ThreadId)] = new TimelineTrack(e.ProcessId, e.ThreadId, $"{e.ProcessId}/{e.ThreadId}");
        }
        return new TimelineDocument
        {
            ExperimentId = experimentId,
            OriginUnixMicroseconds = origin,
            Tracks = [.. tracks.Values.OrderBy(t => t.ProcessId).ThenBy(t => t.ThreadId)],
            Events = TimelineDocument.Sorted(events),
            DroppedEvents = dropped,
        };
    }

    private static void Metadata(Utf8JsonWriter writer, string name, int pid, int tid, string argName, object argValue)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("ph", "M");
        writer.WriteNumber("pid", pid);
        writer.WriteNumber("tid", tid);
        writer.WriteStartObject("args");
        if (argValue is int number)
        {
            writer.WriteNumber(argName, number);
        }
        else
        {
            writer.WriteString(argName, (string)argValue);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static Dictionary<string, object> ReadArgs(JsonElement e)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        if (!e.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object)
        {
            return result;
        }
        foreach (var property in args.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.Number => property.Value.TryGetInt64(out var integer) ? (object)integer : property.Value.GetDouble(),
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
            if (value is not null)
            {
                result[property.Name] = value;
            }
        }
        return result;
    }

    private static string RequiredString(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new TimelineFormatException($"{where}: '{name}' must be a string.");

    private static int RequiredInt(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new TimelineFormatException($"{where}: '{name}' must be an integer.");

    private static long RequiredMicroseconds(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var integer) ? integer : (long)Math.Round(value.GetDouble())
            : throw new TimelineFormatException($"{where}: '{name}' must be a number of microseconds.");
}
