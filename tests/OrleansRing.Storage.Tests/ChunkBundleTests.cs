using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrleansRing.Storage.Tests;

public sealed class ChunkBundleTests
{
    private const string Experiment = "bundle-run";

    private static readonly ChunkBundleKey Key = new(Experiment, 7, RingPhase.AllGather, 2);

    private static ChunkKey Sent(int step, int chunk) => new(Experiment, 7, RingPhase.AllGather, step, 2, 3, chunk);

    private static byte[] Encode(IReadOnlyList<BundledChunk> chunks) => ChunkBundle.Encode(Key, chunks);

    [Fact]
    public void Encode_ThenDecode_GivesEveryChunksBytes_AndEveryForwardsReference()
    {
        var first = TestPayloads.Random(1000, seed: 1);
        var empty = Array.Empty<byte>();
        var forwarded = TestPayloads.Random(600, seed: 2);
        var receivedAs = new ChunkKey(Experiment, 7, RingPhase.AllGather, 0, 1, 2, 5);
        var bytes = Encode([new BundledChunk(Sent(0, 4), first), new BundledChunk(Sent(1, 5), forwarded, receivedAs), new BundledChunk(Sent(2, 6), empty)]);

        var bundle = ChunkBundle.Decode(Key, bytes);

        Assert.Equal([Sent(0, 4), Sent(1, 5), Sent(2, 6)], bundle.Entries.Select(e => e.Key));
        Assert.Equal(first, bundle.Payload(bundle.Entries[0]).ToArray());
        Assert.Empty(bundle.Payload(bundle.Entries[2]).ToArray());
        Assert.Equal(receivedAs, bundle.Entries[1].SameAs);
        Assert.Equal(SHA256.HashData(forwarded), bundle.Entries[1].SameAsHash);
        Assert.Throws<InvalidOperationException>(() => bundle.Payload(bundle.Entries[1]));
        // A forward's bytes are not stored: the bundle is the two payloads and the index.
        Assert.True(bytes.Length < first.Length + forwarded.Length);
    }

    [Fact]
    public void Encode_RefusesAChunkOfAnotherSenderPhaseOrIteration()
    {
        var payload = new byte[4];

        Assert.Throws<ArgumentException>(() => Encode([new BundledChunk(Sent(0, 1) with { SenderRank = 3 }, payload)]));
        Assert.Throws<ArgumentException>(() => Encode([new BundledChunk(Sent(0, 1) with { Phase = RingPhase.ScatterReduce }, payload)]));
        Assert.Throws<ArgumentException>(() => Encode([new BundledChunk(Sent(0, 1) with { Iteration = 8 }, payload)]));
        Assert.Throws<ArgumentException>(() => Encode([new BundledChunk(Sent(1, 1), payload, Sent(0, 1) with { Iteration = 6 })]));
    }

    [Fact]
    public void Decode_RefusesDamagedOrForeignBundles()
    {
        var bytes = Encode([new BundledChunk(Sent(0, 1), TestPayloads.Random(100))]);
        var otherVersion = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(otherVersion.AsSpan(4), 9);
        var extra = bytes.Concat(new byte[] { 1 }).ToArray();

        Assert.Contains("not a chunk bundle", Assert.Throws<InvalidDataException>(() => ChunkBundle.Decode(Key, TestPayloads.Random(64))).Message, StringComparison.Ordinal);
        Assert.Contains("version 9", Assert.Throws<InvalidDataException>(() => ChunkBundle.Decode(Key, otherVersion)).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ChunkBundle.Decode(Key, bytes[..^1])).Message, StringComparison.Ordinal);
        Assert.Contains("after its last chunk", Assert.Throws<InvalidDataException>(() => ChunkBundle.Decode(Key, extra)).Message, StringComparison.Ordinal);
        Assert.Contains("sender 2", Assert.Throws<InvalidDataException>(() => ChunkBundle.Decode(Key with { SenderRank = 4 }, bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_ReusedForAnotherBundle_AndGrownPastItsRoom_EncodesWhatEncodeDoes()
    {
        // Room for one entry only, so the second bundle's index outgrows it and its payloads outgrow the buffer.
        var builder = new ChunkBundleBuilder(Key, expectedEntries: 1);
        builder.Add(Sent(0, 1), TestPayloads.Random(10, seed: 1));
        var first = builder.Build().ToArray();
        var next = Key with { Iteration = 8 };
        var chunks = new[]
        {
            new BundledChunk(Sent(0, 1) with { Iteration = 8 }, TestPayloads.Random(5000, seed: 2)),
            new BundledChunk(Sent(1, 2) with { Iteration = 8 }, TestPayloads.Random(300, seed: 3), new ChunkKey(Experiment, 8, RingPhase.AllGather, 0, 1, 2, 2)),
            new BundledChunk(Sent(2, 3) with { Iteration = 8 }, TestPayloads.Random(7000, seed: 4)),
        };

        builder.Reset(next);
        foreach (var chunk in chunks)
        {
            if (chunk.SameAs is { } same)
            {
                builder.AddSameAs(chunk.Key, same, chunk.Payload.Span);
            }
            else
            {
                builder.Add(chunk.Key, chunk.Payload.Span);
            }
        }

        Assert.Equal(ChunkBundle.Encode(next, chunks), builder.Build().ToArray());
        Assert.Equal(ChunkBundle.Encode(Key, [new BundledChunk(Sent(0, 1), TestPayloads.Random(10, seed: 1))]), first);
        Assert.True(builder.Contains(chunks[1].Key));
        var decoded = ChunkBundle.Decode(next, builder.Build().ToArray());
        Assert.Equal(TestPayloads.Random(7000, seed: 4), decoded.Payload(decoded.Entries[2]).ToArray());
    }

    [Fact]
    public void TryReadKeys_ReadsTheIndexFromTheStart_OrSaysHowMuchMoreItNeeds()
    {
        var chunks = new[]
        {
            new BundledChunk(Sent(0, 1), TestPayloads.Random(5000, seed: 1)),
            new BundledChunk(Sent(1, 2), TestPayloads.Random(5000, seed: 2), new ChunkKey(Experiment, 7, RingPhase.AllGather, 0, 1, 2, 2)),
        };
        var bytes = Encode(chunks);

        Assert.True(ChunkBundle.TryReadKeys(Key, bytes.AsSpan(0, 200), out var keys, out _));
        Assert.Equal([Sent(0, 1), Sent(1, 2)], keys);
        Assert.False(ChunkBundle.TryReadKeys(Key, bytes.AsSpan(0, 30), out _, out var needed));
        Assert.True(needed is > 30 and < 200);
        Assert.False(ChunkBundle.TryReadKeys(Key, bytes.AsSpan(0, 10), out _, out _));
        Assert.Throws<InvalidDataException>(() => ChunkBundle.TryReadKeys(Key with { SenderRank = 3 }, bytes, out _, out _));
    }

    [Fact]
    public void Key_RoundTripsItsBlobName_AndIsNoChunkName()
    {
        var name = Key.ToBlobName();

        Assert.Equal("bundle-run/00000007/bundles/allgather/002", name);
        Assert.Equal(Key, ChunkBundleKey.Parse(name));
        Assert.False(ChunkKey.TryParse(name, out _));
        Assert.False(ChunkBundleKey.TryParse(Sent(0, 1).ToBlobName(), out _));
        Assert.StartsWith(ChunkBundleKey.IterationPrefix(Experiment, 7), name, StringComparison.Ordinal);
    }
}
