using System.Security.Cryptography;

namespace OrleansRing.Storage.Tests;

/// <summary>
/// What every <see cref="IChunkStore"/> must do, run once per implementation by the derived classes.
/// Each test works in an experiment of its own, so tests can share a store.
/// </summary>
public abstract class ChunkStoreContractTests
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store ready for use (<see cref="IChunkStore.EnsureReachableAsync"/> already called).</summary>
    protected abstract Task<IChunkStore> CreateStoreAsync();

    /// <summary>Writes <paramref name="payload"/> under <paramref name="blobName"/> behind the store's back, recording <paramref name="recordedHash"/> as its SHA-256.</summary>
    protected abstract Task WriteRawAsync(IChunkStore store, string blobName, byte[] payload, byte[] recordedHash);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(450_560)]
    [InlineData(1 << 20)]
    public async Task Chunk_PutThenGet_ReturnsSameBytes(int size)
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(size, seed: size);

        await store.PutChunkAsync(key, payload, Ct);
        var read = await store.GetChunkAsync(key, Ct);

        Assert.Equal(payload, read);
    }

    [Fact]
    public async Task Chunk_PutFromSlice_StoresOnlyTheSlice()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var buffer = TestPayloads.Random(1000);

        await store.PutChunkAsync(key, buffer.AsMemory(100, 300), Ct);

        Assert.Equal(buffer.AsSpan(100, 300).ToArray(), await store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Chunk_PutTwice_ReadsSecond()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        await store.PutChunkAsync(key, TestPayloads.Random(5000, seed: 1), Ct);
        await store.PutChunkAsync(key, TestPayloads.Random(300, seed: 2), Ct);

        Assert.Equal(TestPayloads.Random(300, seed: 2), await store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Chunk_GetMissing_ThrowsNotFoundNamingBlob()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        var error = await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetChunkAsync(key, Ct));

        Assert.Equal(key.ToBlobName(), error.BlobName);
        Assert.Contains(key.ToBlobName(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunk_Exists_TrueOnlyAfterPut()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        Assert.False(await store.ChunkExistsAsync(key, Ct));
        await store.PutChunkAsync(key, new byte[] { 7 }, Ct);
        Assert.True(await store.ChunkExistsAsync(key, Ct));
    }

    [Fact]
    public async Task ListChunks_ByExperimentAndIteration_ReturnsOnlyThoseChunksInNameOrder()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        ChunkKey[] keys =
        [
            TestPayloads.Chunk(experiment, iteration: 2, step: 1, sender: 1, receiver: 2),
            TestPayloads.Chunk(experiment, iteration: 1, step: 0, sender: 0, receiver: 1, chunk: 3),
            TestPayloads.Chunk(experiment, iteration: 1, phase: RingPhase.AllGather, step: 2),
            TestPayloads.Chunk(experiment, iteration: 10, step: 0),
        ];
        foreach (var key in keys)
        {
            await store.PutChunkAsync(key, new byte[] { 1, 2 }, Ct);
        }
        // Neighbours that a careless prefix would pick up: another experiment whose id extends this one, and a checkpoint.
        await store.PutChunkAsync(TestPayloads.Chunk(experiment + "x", iteration: 1), new byte[] { 3 }, Ct);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 1, 0), new byte[] { 4 }, Ct);

        var all = await store.ListChunksAsync(experiment, cancellationToken: Ct);
        var first = await store.ListChunksAsync(experiment, iteration: 1, Ct);
        var none = await store.ListChunksAsync(experiment, iteration: 3, Ct);

        Assert.Equal(keys.OrderBy(k => k.ToBlobName(), StringComparer.Ordinal), all);
        Assert.Equal(keys.Where(k => k.Iteration == 1).OrderBy(k => k.ToBlobName(), StringComparer.Ordinal), first);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ListChunks_UnknownExperiment_IsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ListChunksAsync(TestPayloads.NewExperimentId(), cancellationToken: Ct));
        Assert.Empty(await store.ListCheckpointsAsync(TestPayloads.NewExperimentId(), Ct));
    }

    [Fact]
    public async Task DeleteChunk_RemovesItOnce()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var other = key with { ChunkIndex = 1 };
        await store.PutChunkAsync(key, new byte[] { 1 }, Ct);
        await store.PutChunkAsync(other, new byte[] { 2 }, Ct);

        Assert.True(await store.DeleteChunkAsync(key, Ct));
        Assert.False(await store.DeleteChunkAsync(key, Ct));

        Assert.False(await store.ChunkExistsAsync(key, Ct));
        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetChunkAsync(key, Ct));
        Assert.Equal(new byte[] { 2 }, await store.GetChunkAsync(other, Ct));
    }

    [Fact]
    public async Task DeleteExperiment_RemovesChunksAndCheckpoints_LeavesOtherExperiments()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var neighbour = experiment + "x";
        for (var iteration = 0; iteration < 3; iteration++)
        {
            await store.PutChunkAsync(TestPayloads.Chunk(experiment, iteration), new byte[] { 1 }, Ct);
        }
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 2, 0), new byte[] { 2 }, Ct);
        var kept = TestPayloads.Chunk(neighbour);
        await store.PutChunkAsync(kept, new byte[] { 3 }, Ct);

        var deleted = await store.DeleteExperimentAsync(experiment, Ct);

        Assert.Equal(4, deleted);
        Assert.Empty(await store.ListChunksAsync(experiment, cancellationToken: Ct));
        Assert.Empty(await store.ListCheckpointsAsync(experiment, Ct));
        Assert.Equal(new byte[] { 3 }, await store.GetChunkAsync(kept, Ct));
        Assert.Equal(0, await store.DeleteExperimentAsync(experiment, Ct));
    }

    [Fact]
    public async Task PruneIterations_KeepLastTwo_DeletesOlderChunksOnly()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        long[] iterations = [1, 2, 3, 5];
        foreach (var iteration in iterations)
        {
            await store.PutChunkAsync(TestPayloads.Chunk(experiment, iteration, chunk: 0), new byte[] { 1 }, Ct);
            await store.PutChunkAsync(TestPayloads.Chunk(experiment, iteration, chunk: 1), new byte[] { 2 }, Ct);
        }
        var checkpoint = new CheckpointKey(experiment, 1, 0);
        await store.PutCheckpointAsync(checkpoint, new byte[] { 9 }, Ct);

        var pruned = await store.PruneIterationsAsync(experiment, keepLast: 2, Ct);

        Assert.Equal([1L, 2L], pruned);
        Assert.Equal([3L, 3L, 5L, 5L], (await store.ListChunksAsync(experiment, cancellationToken: Ct)).Select(k => k.Iteration));
        Assert.Equal(new byte[] { 9 }, await store.GetCheckpointAsync(checkpoint, Ct));
        Assert.Empty(await store.PruneIterationsAsync(experiment, keepLast: 2, Ct));
        Assert.Equal([3L, 5L], await store.PruneIterationsAsync(experiment, keepLast: 0, Ct));
        Assert.Empty(await store.ListChunksAsync(experiment, cancellationToken: Ct));
    }

    [Fact]
    public async Task Checkpoint_PutGetList_RoundTripsLargePayloads()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        // Larger than one upload request (8 MiB), so the Azure store's multi-block path runs too.
        var large = TestPayloads.Random((9 << 20) + 123, seed: 5);
        var keys = new[] { new CheckpointKey(experiment, 20, 1), new CheckpointKey(experiment, 10, 0), new CheckpointKey(experiment, 20, 0) };

        await store.PutCheckpointAsync(keys[0], large, Ct);
        await store.PutCheckpointAsync(keys[1], new byte[] { 1 }, Ct);
        await store.PutCheckpointAsync(keys[2], ReadOnlyMemory<byte>.Empty, Ct);

        Assert.Equal(large, await store.GetCheckpointAsync(keys[0], Ct));
        Assert.Empty(await store.GetCheckpointAsync(keys[2], Ct));
        Assert.Equal([keys[1], keys[2], keys[0]], await store.ListCheckpointsAsync(experiment, Ct));
        Assert.Empty(await store.ListChunksAsync(experiment, cancellationToken: Ct));
        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetCheckpointAsync(new CheckpointKey(experiment, 30, 0), Ct));
    }

    private static async Task PutBundleAsync(IChunkStore store, ChunkBundleKey key, params BundledChunk[] chunks)
    {
        await store.PutChunkBundleAsync(key, ChunkBundle.Encode(key, chunks), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SentChunks_ReadFromBundles_FollowingForwardsToTheOwnersBytes()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var reduced = TestPayloads.Random(450_560, seed: 11);
        var partial = TestPayloads.Random(450_560, seed: 12);
        // Owner 1 sends its reduced chunk to 2 at all-gather step 0; 2 forwards it to 0 at step 1, and 0 to 1 at step 2.
        var owners = new ChunkKey(experiment, 3, RingPhase.AllGather, 0, 1, 2, 1);
        var forward = new ChunkKey(experiment, 3, RingPhase.AllGather, 1, 2, 0, 1);
        var forwardAgain = new ChunkKey(experiment, 3, RingPhase.AllGather, 2, 0, 1, 1);
        var scatter = new ChunkKey(experiment, 3, RingPhase.ScatterReduce, 0, 1, 2, 0);
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 3, RingPhase.AllGather, 1), new BundledChunk(owners, reduced));
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 3, RingPhase.AllGather, 2), new BundledChunk(forward, reduced, owners));
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 3, RingPhase.AllGather, 0), new BundledChunk(forwardAgain, reduced, forward));
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 3, RingPhase.ScatterReduce, 1), new BundledChunk(scatter, partial));
        var single = TestPayloads.Chunk(experiment, iteration: 4);
        await store.PutChunkAsync(single, new byte[] { 5 }, Ct);

        Assert.Equal(reduced, await store.GetSentChunkAsync(owners, Ct));
        Assert.Equal(reduced, await store.GetSentChunkAsync(forwardAgain, Ct));
        Assert.Equal(partial, await store.GetSentChunkAsync(scatter, Ct));
        Assert.Equal(new byte[] { 5 }, await store.GetSentChunkAsync(single, Ct));
        Assert.Equal(new[] { forwardAgain, forward, owners, scatter, single }.OrderBy(k => k.ToBlobName(), StringComparer.Ordinal), await store.ListSentChunksAsync(experiment, cancellationToken: Ct));
        Assert.Equal(4, (await store.ListChunkBundlesAsync(experiment, 3, Ct)).Count);
        Assert.Empty(await store.ListChunkBundlesAsync(experiment, 4, Ct));
        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetSentChunkAsync(scatter with { ChunkIndex = 2 }, Ct));
    }

    [Fact]
    public async Task BundleStart_IsTheBundlesFirstBytes_AndListingReadsIndexesLongerThanOneRead()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        // 120 forwards: an index of about 8 KB, more than the listing's first read of 4 KB.
        var chunks = Enumerable.Range(0, 120).Select(step => new BundledChunk(
            new ChunkKey(experiment, 2, RingPhase.AllGather, step + 1, 5, 6, step),
            TestPayloads.Random(10, seed: step),
            new ChunkKey(experiment, 2, RingPhase.AllGather, step, 4, 5, step))).ToArray();
        var key = new ChunkBundleKey(experiment, 2, RingPhase.AllGather, 5);
        var bytes = ChunkBundle.Encode(key, chunks);
        await store.PutChunkBundleAsync(key, bytes, Ct);

        Assert.Equal(bytes[..100], await store.ReadChunkBundleStartAsync(key, 100, Ct));
        Assert.Equal(bytes, await store.ReadChunkBundleStartAsync(key, bytes.Length + 1000, Ct));
        Assert.Equal(chunks.Select(c => c.Key), await store.ListSentChunksAsync(experiment, cancellationToken: Ct));
        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.ReadChunkBundleStartAsync(key with { SenderRank = 9 }, 100, Ct));
    }

    [Fact]
    public async Task SentChunks_RefuseAForwardWhoseNamedBytesDiffer()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var owners = new ChunkKey(experiment, 0, RingPhase.AllGather, 0, 1, 2, 1);
        var forward = new ChunkKey(experiment, 0, RingPhase.AllGather, 1, 2, 0, 1);
        var sent = TestPayloads.Random(1000, seed: 13);
        var forged = (byte[])sent.Clone();
        forged[0] ^= 1;
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 0, RingPhase.AllGather, 1), new BundledChunk(owners, sent));
        await PutBundleAsync(store, new ChunkBundleKey(experiment, 0, RingPhase.AllGather, 2), new BundledChunk(forward, forged, owners));

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetSentChunkAsync(forward, Ct));

        Assert.Contains(owners.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_DeletesBundlesWithTheirIteration()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        foreach (var iteration in new long[] { 1, 2, 3 })
        {
            var key = new ChunkKey(experiment, iteration, RingPhase.ScatterReduce, 0, 0, 1, 0);
            await PutBundleAsync(store, ChunkBundleKey.Of(key), new BundledChunk(key, new byte[] { (byte)iteration }));
        }

        Assert.Equal([1L, 2L], await store.PruneIterationsAsync(experiment, keepLast: 1, Ct));

        Assert.Equal([3L], (await store.ListChunkBundlesAsync(experiment, cancellationToken: Ct)).Select(b => b.Iteration));
        Assert.Equal(1, await store.DeleteExperimentAsync(experiment, Ct));
        Assert.Empty(await store.ListSentChunksAsync(experiment, cancellationToken: Ct));
    }

    [Fact]
    public async Task CheckpointState_FollowsAReference_ToTheHoldersBytes()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var state = TestPayloads.Random(70_000, seed: 6);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 4, 2), state, Ct);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 4, 0), CheckpointReference.ForState(2, state).Encode(), Ct);

        Assert.Equal(state, await store.GetCheckpointStateAsync(new CheckpointKey(experiment, 4, 0), Ct));
        Assert.Equal(state, await store.GetCheckpointStateAsync(new CheckpointKey(experiment, 4, 2), Ct));
        // The reference is only 44 bytes in the store.
        Assert.Equal(CheckpointReference.Size, (await store.GetCheckpointAsync(new CheckpointKey(experiment, 4, 0), Ct)).Length);
    }

    [Fact]
    public async Task CheckpointState_RefusesAHolderWhoseStateIsNotTheOneReferredTo()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var holders = TestPayloads.Random(5_000, seed: 7);
        var own = (byte[])holders.Clone();
        own[4_321] ^= 1; // a replica that diverged in one bit
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 9, 0), holders, Ct);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 9, 3), CheckpointReference.ForState(0, own).Encode(), Ct);

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetCheckpointStateAsync(new CheckpointKey(experiment, 9, 3), Ct));

        Assert.Equal(new CheckpointKey(experiment, 9, 3).ToBlobName(), error.BlobName);
        Assert.Contains("rank 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("diverged", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ChunkIntegrityException.AlteredOrDamaged, error.Message, StringComparison.Ordinal);
        Assert.Contains("older checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointState_RefusesAMissingHolderAndAReferenceToAReference()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var state = TestPayloads.Random(100, seed: 8);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 1, 1), CheckpointReference.ForState(5, state).Encode(), Ct);
        await store.PutCheckpointAsync(new CheckpointKey(experiment, 1, 2), CheckpointReference.ForState(1, state).Encode(), Ct);

        var missing = await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetCheckpointStateAsync(new CheckpointKey(experiment, 1, 1), Ct));
        var chained = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetCheckpointStateAsync(new CheckpointKey(experiment, 1, 2), Ct));

        Assert.Contains(new CheckpointKey(experiment, 1, 5).ToBlobName(), missing.Message, StringComparison.Ordinal);
        Assert.Contains("reference itself", chained.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_Delete_RemovesOnlyThatCheckpoint()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var old = new CheckpointKey(experiment, 1, 0);
        var kept = new CheckpointKey(experiment, 2, 0);
        await store.PutCheckpointAsync(old, new byte[] { 1 }, Ct);
        await store.PutCheckpointAsync(kept, new byte[] { 2 }, Ct);

        Assert.True(await store.DeleteCheckpointAsync(old, Ct));
        Assert.False(await store.DeleteCheckpointAsync(old, Ct));

        Assert.Equal([kept], await store.ListCheckpointsAsync(experiment, Ct));
    }

    [Fact]
    public async Task Document_PutGet_RoundTrips_AndIsInvisibleToChunkListingAndPruning()
    {
        var store = await CreateStoreAsync();
        var experiment = TestPayloads.NewExperimentId();
        var manifest = TestPayloads.Random(5000, seed: 9);
        await store.PutChunkAsync(TestPayloads.Chunk(experiment) with { Iteration = 3 }, new byte[] { 1 }, Ct);

        Assert.Null(await store.TryGetDocumentAsync(experiment, "manifest.json", Ct));
        await store.PutDocumentAsync(experiment, "manifest.json", manifest, Ct);
        await store.PruneIterationsAsync(experiment, 0, Ct);

        Assert.Equal(manifest, await store.TryGetDocumentAsync(experiment, "manifest.json", Ct));
        Assert.Empty(await store.ListChunksAsync(experiment, cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => DocumentNames.BlobName(experiment, "../escape"));
        await store.DeleteExperimentAsync(experiment, Ct);
        Assert.Null(await store.TryGetDocumentAsync(experiment, "manifest.json", Ct));
    }

    [Fact]
    public async Task Chunk_ContentAlteredBehindStore_ThrowsIntegrityNamingBlob()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(4096);
        await store.PutChunkAsync(key, payload, Ct);
        var altered = (byte[])payload.Clone();
        altered[1234] ^= 0x01;

        // The recorded hash is kept: only the bytes changed, as with bit rot or a tampering attacker.
        await WriteRawAsync(store, key.ToBlobName(), altered, SHA256.HashData(payload));

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));
        Assert.Equal(key.ToBlobName(), error.BlobName);
        Assert.Contains(key.ToBlobName(), error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(payload)), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunk_RecordedHashForgedBehindStore_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(100);
        await store.PutChunkAsync(key, payload, Ct);

        await WriteRawAsync(store, key.ToBlobName(), payload, SHA256.HashData(TestPayloads.Random(100, seed: 99)));

        await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Checkpoint_ContentAlteredBehindStore_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = new CheckpointKey(TestPayloads.NewExperimentId(), 7, 3);
        var payload = TestPayloads.Random(2048);
        await store.PutCheckpointAsync(key, payload, Ct);

        await WriteRawAsync(store, key.ToBlobName(), TestPayloads.Random(2048, seed: 2), SHA256.HashData(payload));

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetCheckpointAsync(key, Ct));
        Assert.Equal(key.ToBlobName(), error.BlobName);
    }

    [Fact]
    public async Task Chunk_ConcurrentOverwritesAndReads_ReadersSeeAWholeVersion()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var versions = Enumerable.Range(0, 4).Select(seed => TestPayloads.Random(64 * 1024, seed)).ToArray();
        await store.PutChunkAsync(key, versions[0], Ct);

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await store.PutChunkAsync(key, versions[(w + i) % versions.Length], Ct);
            }
        }, Ct));
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                var read = await store.GetChunkAsync(key, Ct);
                Assert.Contains(versions, v => v.AsSpan().SequenceEqual(read));
            }
        }, Ct));

        await Task.WhenAll(writers.Concat(readers));
    }

    [Fact]
    public async Task EnsureReachable_CalledAgain_Succeeds()
    {
        var store = await CreateStoreAsync();

        await store.EnsureReachableAsync(Ct);

        Assert.False(string.IsNullOrEmpty(store.Endpoint));
    }
}
