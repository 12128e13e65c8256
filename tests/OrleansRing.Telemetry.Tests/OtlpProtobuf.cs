namespace OrleansRing.Telemetry.Tests;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP export requests: span names
/// (ExportTraceServiceRequest.resource_spans[1] → scope_spans[2] → spans[2] → name[5]) and metric names
/// (ExportMetricsServiceRequest.resource_metrics[1] → scope_metrics[2] → metrics[2] → name[1]).
/// </summary>
internal static class OtlpProtobuf
{
    public static List<string> SpanNames(byte[] request) => Strings(request, [1, 2, 2], 5);

    public static List<string> MetricNames(byte[] request) => Strings(request, [1, 2, 2], 1);

    private static List<string> Strings(byte[] message, int[] path, int field)
    {
        IEnumerable<ReadOnlyMemory<byte>> level = [message];
        foreach (var step in path)
        {
            level = level.SelectMany(m => Fields(m).Where(f => f.Number == step && f.WireType == 2).Select(f => f.Value)).ToList();
        }
        return [.. level.SelectMany(m => Fields(m).Where(f => f.Number == field && f.WireType == 2)).Select(f => System.Text.Encoding.UTF8.GetString(f.Value.Span))];
    }

    /// <summary>The fields of one message; throws <see cref="FormatException"/> on bytes that are not protobuf.</summary>
    private static List<(int Number, int WireType, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = Varint(span, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            var start = position;
            switch (wireType)
            {
                case 0:
                    Varint(span, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(span, ref position);
                    start = position;
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wireType} at byte {start}");
            }
            if (number < 1 || position > span.Length)
            {
                throw new FormatException($"field {number} overruns the message at byte {start}");
            }
            fields.Add((number, wireType, message[start..position]));
        }
        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("truncated varint");
            }
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new FormatException("varint longer than 10 bytes");
    }
}
