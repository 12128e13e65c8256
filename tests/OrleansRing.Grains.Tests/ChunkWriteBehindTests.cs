using OrleansRing.Grains.Persistence;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>The write-behind's bundling against a real folder store: what one worker's sends become.</summary>
public sealed class ChunkWriteBehindTests : IDisposable
{
    private const string Experiment = "write-behind";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansring-write-behind-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ChunkKey Sent(long iteration, RingPhase phase, int step) => new(Experiment, iteration, phase, step, 1, 2, step);

    private static byte[] Bytes(int seed) => [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * seed))];

    [Fact]
    public async Task EachPhaseBecomesOneBundle_AndTheBuffersAreReusedByTheNextIteration()
    {
        var store = new FolderChunkStore(_folder);
        await using var writeBehind = new ChunkWriteBehind(store, workers: 3);
        var buffer = Bytes(3);

        for (var iteration = 0; iteration < 2; iteration++)
        {
            await writeBehind.EnqueueChunkAsync(Sent(iteration, RingPhase.ScatterReduce, 0), buffer);
            buffer.AsSpan().Fill((byte)(iteration + 1)); // the ring reuses its buffer at once: the queued chunk must not change
            await writeBehind.EnqueueChunkAsync(Sent(iteration, RingPhase.ScatterReduce, 1), buffer);
            await writeBehind.EnqueueChunkAsync(Sent(iteration, RingPhase.AllGather, 0), Bytes(5));
            await writeBehind.EnqueueChunkAsync(Sent(iteration, RingPhase.AllGather, 1), Bytes(7), sameAs: new ChunkKey(Experiment, iteration, RingPhase.AllGather, 0, 0, 1, 1));
            await writeBehind.FlushAsync();
            buffer = Bytes(3);
        }

        Assert.Equal(4, (await store.ListChunkBundlesAsync(Experiment, cancellationToken: TestContext.Current.CancellationToken)).Count);
        Assert.Equal(Bytes(3), await store.GetSentChunkAsync(Sent(1, RingPhase.ScatterReduce, 0), TestContext.Current.CancellationToken));
        Assert.All(await store.GetSentChunkAsync(Sent(1, RingPhase.ScatterReduce, 1), TestContext.Current.CancellationToken), b => Assert.Equal(2, b));
        Assert.Equal(Bytes(5), await store.GetSentChunkAsync(Sent(0, RingPhase.AllGather, 0), TestContext.Current.CancellationToken));
        var bundle = ChunkBundle.Decode(new ChunkBundleKey(Experiment, 1, RingPhase.AllGather, 1), await store.GetChunkBundleAsync(new ChunkBundleKey(Experiment, 1, RingPhase.AllGather, 1), TestContext.Current.CancellationToken));
        Assert.Equal(new ChunkKey(Experiment, 1, RingPhase.AllGather, 0, 0, 1, 1), bundle.Entries[1].SameAs);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Bytes(7)), bundle.Entries[1].SameAsHash);
    }

    [Fact]
    public async Task ARestartedIteration_ReplacesTheAbortedAttemptsChunks()
    {
        var store = new FolderChunkStore(_folder);
        await using var writeBehind = new ChunkWriteBehind(store, workers: 3);

        // An attempt that got into all-gather, then the same iteration from the start, as after an aborted ring.
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.ScatterReduce, 0), Bytes(1));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.ScatterReduce, 1), Bytes(1));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.AllGather, 0), Bytes(1));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.ScatterReduce, 0), Bytes(2));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.ScatterReduce, 1), Bytes(2));
        // And a restart within a phase.
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.AllGather, 0), Bytes(9));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.AllGather, 0), Bytes(3));
        await writeBehind.EnqueueChunkAsync(Sent(4, RingPhase.AllGather, 1), Bytes(3));
        await writeBehind.FlushAsync();

        var sent = await store.ListSentChunksAsync(Experiment, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(4, sent.Count);
        Assert.Equal(Bytes(2), await store.GetSentChunkAsync(Sent(4, RingPhase.ScatterReduce, 0), TestContext.Current.CancellationToken));
        Assert.Equal(Bytes(2), await store.GetSentChunkAsync(Sent(4, RingPhase.ScatterReduce, 1), TestContext.Current.CancellationToken));
        Assert.Equal(Bytes(3), await store.GetSentChunkAsync(Sent(4, RingPhase.AllGather, 0), TestContext.Current.CancellationToken));
    }
}
