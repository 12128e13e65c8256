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

    /// <summary>A buffer that holds any valid header with its length prefix: one per connection and direction, reused.</summary>
    public const int HeaderBufferBytes = 4 + MaxHeaderBytes;

    /// <summary>
    /// Writes the header of <paramref name="message"/> for the worker <paramref name="receiverKey"/>, with its length
    /// prefix, at the start of <paramref name="buffer"/> (<see cref="HeaderBufferBytes"/> long); returns its length.
    /// </summary>
    public static int WriteHeader(byte[] buffer, string receiverKey, ChunkMessage message)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var size = 4 + 4 + String(receiverKey) + String(message.ExperimentId) + 8 + (5 * 4) + String(message.BlobName) + String(message.TraceParent) + 4;
        if (size - 4 > MaxHeaderBytes || size > buffer.Length)
        {
            throw new ArgumentException($"The frame header of {message} is {size} bytes, more than the {Math.Min(buffer.Length, HeaderBufferBytes)} a frame allows.", nameof(message));
        }
        var span = buffer.AsSpan(0, size);
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
        return size;
    }

    /// <summary>
    /// Reads one frame, its header through <paramref name="headerBuffer"/> (<see cref="HeaderBufferBytes"/> long, reused
    /// from frame to frame); null at a clean end of stream between frames. Only the payload gets an array of its own.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not a chunk frame stream of this version, or ends inside a frame.</exception>
    public static async Task<(string ReceiverKey, ChunkMessage Message)?> ReadAsync(Stream stream, byte[] headerBuffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headerBuffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(headerBuffer.Length, HeaderBufferBytes, nameof(headerBuffer));
        var read = await stream.ReadAtLeastAsync(headerBuffer.AsMemory(0, 4), 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        if (read < 4)
        {
            throw new InvalidDataException("The data plane stream ended inside a frame's length prefix.");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(headerBuffer);
        if (length is < 8 or > MaxHeaderBytes)
        {
            throw new InvalidDataException($"A data plane frame header of {length} bytes is outside 8..{MaxHeaderBytes}: not an OrleansRing chunk stream.");
        }
        await ReadExactlyAsync(stream, headerBuffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        var header = ParseHeader(headerBuffer.AsSpan(0, length));
        var payload = header.PayloadLength == 0 ? [] : GC.AllocateUninitializedArray<byte>(header.PayloadLength);
        await ReadExactlyAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        var message = new ChunkMessage
        {
            ExperimentId = header.ExperimentId,
            Iteration = header.Iteration,
            Phase = header.Phase,
            Step = header.Step,
            ChunkIndex = header.ChunkIndex,
            SenderRank = header.SenderRank,
            Payload = payload,
            BlobName = header.BlobName,
            Generation = header.Generation,
            TraceParent = header.TraceParent,
        };
        return (header.ReceiverKey, message);
    }

    private static FrameHeader ParseHeader(ReadOnlySpan<byte> span)
    {
        var at = 0;
        var version = Int(span, ref at);
        if (version != Version)
        {
            throw new InvalidDataException($"Data plane frame version {version} is not supported (expected {Version}).");
        }
        var receiver = Text(span, ref at) ?? throw new InvalidDataException("A data plane frame has no receiver.");
        var experiment = Text(span, ref at) ?? throw new InvalidDataException("A data plane frame has no experiment id.");
        if (at + 8 > span.Length)
        {
            throw new InvalidDataException("A data plane frame header is shorter than its fields.");
        }
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
        return new FrameHeader(receiver, experiment, iteration, phase, step, chunk, sender, generation, blobName, traceParent, payloadLength);
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
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

    private readonly record struct FrameHeader(
        string ReceiverKey, string ExperimentId, long Iteration, RingPhase Phase, int Step, int ChunkIndex, int SenderRank, int Generation,
        string? BlobName, string? TraceParent, int PayloadLength);
}
