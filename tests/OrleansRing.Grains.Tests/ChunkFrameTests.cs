using OrleansRing.Abstractions;
using OrleansRing.Grains.Ring;

namespace OrleansRing.Grains.Tests;

public sealed class ChunkFrameTests
{
    private static readonly ChunkMessage s_message = new()
    {
        ExperimentId = "frame-é",
        Iteration = 1L << 40,
        Phase = RingPhase.AllGather,
        Step = 6,
        ChunkIndex = 3,
        SenderRank = 7,
        Generation = 2,
        Payload = new byte[] { 1, 2, 3, 250, 0, 9 },
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    };

    [Fact]
    public async Task Frames_RoundTrip_EveryField_AndEndCleanlyBetweenFrames()
    {
        var empty = s_message with { Payload = ReadOnlyMemory<byte>.Empty, BlobName = "exp/00000001/allgather/006/007-000/0003", TraceParent = null };
        var stream = new MemoryStream();
        foreach (var message in new[] { s_message, empty })
        {
            stream.Write(Header("exp/0", message));
            stream.Write(message.Payload.Span);
        }
        stream.Position = 0;

        // One header buffer for all three reads, as a connection reuses it: the first frame must not change under the second.
        var headerBuffer = new byte[ChunkFrame.HeaderBufferBytes];
        var first = await ChunkFrame.ReadAsync(stream, headerBuffer, CancellationToken.None);
        var second = await ChunkFrame.ReadAsync(stream, headerBuffer, CancellationToken.None);
        var end = await ChunkFrame.ReadAsync(stream, headerBuffer, CancellationToken.None);

        Assert.Equal("exp/0", first!.Value.ReceiverKey);
        AssertSame(s_message, first.Value.Message);
        AssertSame(empty, second!.Value.Message);
        Assert.Null(second.Value.Message.TraceParent);
        Assert.Null(first.Value.Message.BlobName);
        Assert.Null(end);
    }

    [Fact]
    public async Task A_Truncated_OrForeign_Stream_IsInvalidData_NotAMisreadChunk()
    {
        var frame = new MemoryStream();
        frame.Write(Header("exp/0", s_message));
        frame.Write(s_message.Payload.Span);
        var whole = frame.ToArray();

        var truncated = await Assert.ThrowsAsync<InvalidDataException>(() => ChunkFrame.ReadAsync(new MemoryStream(whole[..^2]), new byte[ChunkFrame.HeaderBufferBytes], CancellationToken.None));
        var http = await Assert.ThrowsAsync<InvalidDataException>(() => ChunkFrame.ReadAsync(new MemoryStream("GET / HTTP/1.1\r\n\r\n"u8.ToArray()), new byte[ChunkFrame.HeaderBufferBytes], CancellationToken.None));
        var otherVersion = (byte[])whole.Clone();
        otherVersion[4] = 9;
        var version = await Assert.ThrowsAsync<InvalidDataException>(() => ChunkFrame.ReadAsync(new MemoryStream(otherVersion), new byte[ChunkFrame.HeaderBufferBytes], CancellationToken.None));

        Assert.Contains("ended inside a frame", truncated.Message);
        Assert.Contains("not an OrleansRing chunk stream", http.Message);
        Assert.Contains("version 9", version.Message);
    }

    private static byte[] Header(string receiverKey, ChunkMessage message)
    {
        var buffer = new byte[ChunkFrame.HeaderBufferBytes];
        return buffer[..ChunkFrame.WriteHeader(buffer, receiverKey, message)];
    }

    private static void AssertSame(ChunkMessage expected, ChunkMessage actual)
    {
        Assert.Equal(expected with { Payload = ReadOnlyMemory<byte>.Empty }, actual with { Payload = ReadOnlyMemory<byte>.Empty });
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
    }
}
