using System.Buffers.Binary;
using System.Text;
using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// The data plane's wire format for one ring chunk: a little-endian header (length-prefixed UTF-8 strings, fixed-width
/// numbers) followed by the payload's raw bytes, so the payload is written from and read into one buffer without a
/// serializer. The header starts with its own length and a version, so a reader rejects a frame it does not understand
/// instead of misreading it.
/// </summary>
internal static class ChunkFrame
{
    public const int Version = 1;

    /// <summary>Headers are small (keys, ids, a traceparent); a larger one is a corrupt or foreign stream.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>A chunk's payload bound (1 GiB): beyond it the length prefix is taken as corruption, not allocated.</summary>
    public const int MaxPayloadBytes = 1 << 30;

    /// <summary>The header of <paramref name="message"/> for the worker <paramref name="receiverKey"/>, with its length prefix.</summary>
    public static byte[] EncodeHeader(string receiverKey, ChunkMessage message)
    {
        var size = 4 + 4 + String(receiverKey) + String(message.ExperimentId) + 8 + (5 * 4) + String(message.BlobName) + String(message.TraceParent) + 4;
        var header = new byte[size];
        var span = header.AsSpan();
        var at = 0;
        Int(span, ref at, size - 4);
        Int(span, ref at, Version);
        Text(span, ref at, receiverKey);
        Text(span, ref at, message.ExperimentId);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], message.Iteration);
        at += 8;
        Int(span, ref at, (int)message.Phase);
        Int(span, ref at, message.Step);
        Int(span, ref at, message.ChunkIndex);
        Int(span, ref at, message.SenderRank);
        Int(span, ref at, message.Generation);
        Text(span, ref at, message.BlobName);
        Text(span, ref at, message.TraceParent);
        Int(span, ref at, message.Payload.Length);
        return header;
    }

    /// <summary>Reads one frame; null at a clean end of stream between frames.</summary>
    /// <exception cref="InvalidDataException">The stream is not a chunk frame stream of this version, or ends inside a frame.</exception>
    public static async Task<(string ReceiverKey, ChunkMessage Message)?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var read = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        if (read < 4)
        {
            throw new InvalidDataException("The data plane stream ended inside a frame's length prefix.");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length is < 8 or > MaxHeaderBytes)
        {
            throw new InvalidDataException($"A data plane frame header of {length} bytes is outside 8..{MaxHeaderBytes}: not an OrleansRing chunk stream.");
        }
        var header = new byte[length];
        await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        var span = (ReadOnlySpan<byte>)header;
        var at = 0;
        var version = Int(span, ref at);
        if (version != Version)
        {
            throw new InvalidDataException($"Data plane frame version {version} is not supported (expected {Version}).");
        }
        var receiver = Text(span, ref at) ?? throw new InvalidDataException("A data plane frame has no receiver.");
        var experiment = Text(span, ref at) ?? throw new InvalidDataException("A data plane frame has no experiment id.");
        var iteration = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += 8;
        var phase = (RingPhase)Int(span, ref at);
        var step = Int(span, ref at);
        var chunk = Int(span, ref at);
        var sender = Int(span, ref at);
        var generation = Int(span, ref at);
        var blobName = Text(span, ref at);
        var traceParent = Text(span, ref at);
        var payloadLength = Int(span, ref at);
        if (payloadLength is < 0 or > MaxPayloadBytes)
        {
            throw new InvalidDataException($"A data plane frame announces {payloadLength} payload bytes, outside 0..{MaxPayloadBytes}.");
        }
        var payload = payloadLength == 0 ? [] : GC.AllocateUninitializedArray<byte>(payloadLength);
        await ReadExactlyAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        var message = new ChunkMessage
        {
            ExperimentId = experiment,
            Iteration = iteration,
            Phase = phase,
            Step = step,
            ChunkIndex = chunk,
            SenderRank = sender,
            Payload = payload,
            BlobName = blobName,
            Generation = generation,
            TraceParent = traceParent,
        };
        return (receiver, message);
    }

    private static async Task ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The data plane stream ended inside a frame.", e);
        }
    }

    private static int String(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    private static void Int(Span<byte> span, ref int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], value);
        at += 4;
    }

    private static int Int(ReadOnlySpan<byte> span, ref int at)
    {
        if (at + 4 > span.Length)
        {
            throw new InvalidDataException("A data plane frame header is shorter than its fields.");
        }
        var value = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        return value;
    }

    // Length −1 is null, so an absent blob name or traceparent survives the trip as null, not "".
    private static void Text(Span<byte> span, ref int at, string? value)
    {
        if (value is null)
        {
            Int(span, ref at, -1);
            return;
        }
        var written = Encoding.UTF8.GetBytes(value, span[(at + 4)..]);
        Int(span, ref at, written);
        at += written;
    }

    private static string? Text(ReadOnlySpan<byte> span, ref int at)
    {
        var length = Int(span, ref at);
        if (length == -1)
        {
            return null;
        }
        if (length < 0 || at + length > span.Length)
        {
            throw new InvalidDataException("A data plane frame header holds a string longer than the header.");
        }
        var value = Encoding.UTF8.GetString(span.Slice(at, length));
        at += length;
        return value;
    }
}
