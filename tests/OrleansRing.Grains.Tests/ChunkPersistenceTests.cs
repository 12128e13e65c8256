using OrleansRing.Abstractions;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ChunkPersistenceTests(ClusterFixture fixture)
{
    private static ExperimentConfig Run(string name, ChunkPersistence mode, ChunkRetention retention = ChunkRetention.KeepAll) => new()
    {
        ExperimentId = $"{name}-{Guid.NewGuid():N}",
        Workers = 3,
        Iterations = 3,
        BatchSize = 16,
        EvaluationInterval = 100,
        Persistence = mode,
        Retention = retention,
        RetainedIterations = 1,
        // A checkpoint after every iteration: each is counted, and retention has older ones to prune.
        CheckpointInterval = 1,
        Data = new DataSourceSpec { SyntheticTrainCount = 384, SyntheticTestCount = 32 },
    };

    [Fact]
    public async Task EveryPersistenceMode_TrainsTheSameModel_AndPersistsEveryStepsChunk()
    {
        var results = new Dictionary<ChunkPersistence, ExperimentResult>();
        foreach (var mode in Enum.GetValues<ChunkPersistence>())
        {
            results[mode] = await ExperimentPolling.RunToEndAsync(fixture.Grains, Run($"mode-{mode.ToString().ToLowerInvariant()}", mode));
        }

        Assert.All(results.Values, r => Assert.Equal(ExperimentState.Completed, r.State));
        Assert.Single(results.Values.Select(r => r.ParameterHashes[0]).Distinct());
        foreach (var mode in new[] { ChunkPersistence.Sync, ChunkPersistence.Async, ChunkPersistence.Reference })
        {
            var id = results[mode].Config.ExperimentId;
            var chunks = await fixture.Store.ListSentChunksAsync(id, cancellationToken: TestContext.Current.CancellationToken);
            // 3 iterations × 3 senders × 2 phases × (N − 1) steps.
            Assert.Equal(3 * 3 * 2 * 2, chunks.Count);
            var bundles = await fixture.Store.ListChunkBundlesAsync(id, cancellationToken: TestContext.Current.CancellationToken);
            var chunkBlobs = await fixture.Store.ListChunksAsync(id, cancellationToken: TestContext.Current.CancellationToken);
            // Async persistence writes one bundle per sender and phase; the others a blob per chunk.
            Assert.Equal(mode == ChunkPersistence.Async ? (3 * 3 * 2, 0) : (0, chunks.Count), (bundles.Count, chunkBlobs.Count));
            Assert.Equal(3 * 3, (await fixture.Store.ListCheckpointsAsync(id, TestContext.Current.CancellationToken)).Count);
        }
        Assert.Empty(await fixture.Store.ListChunksAsync(results[ChunkPersistence.Off].Config.ExperimentId, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(ChunkPersistence.Sync)]
    [InlineData(ChunkPersistence.Async)]
    public async Task PersistedChunk_IsWhatTheSenderSent(ChunkPersistence mode)
    {
        var config = Run("audit", mode);

        await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        // After scatter-reduce step 0 rank 1 holds its own chunk plus rank 0's: the step-1 chunk rank 1 sends
        // is rank 0's step-0 chunk plus rank 1's own values, so it differs from it, with the same length.
        var step0 = await fixture.Store.GetSentChunkAsync(new ChunkKey(config.ExperimentId, 0, Storage.RingPhase.ScatterReduce, 0, 0, 1, 0), TestContext.Current.CancellationToken);
        var step1 = await fixture.Store.GetSentChunkAsync(new ChunkKey(config.ExperimentId, 0, Storage.RingPhase.ScatterReduce, 1, 1, 2, 0), TestContext.Current.CancellationToken);
        Assert.Equal(step0.Length, step1.Length);
        Assert.NotEqual(step0, step1);
        var gathered = await fixture.Store.GetSentChunkAsync(new ChunkKey(config.ExperimentId, 0, Storage.RingPhase.AllGather, 0, 2, 0, 0), TestContext.Current.CancellationToken);
        var forwarded = await fixture.Store.GetSentChunkAsync(new ChunkKey(config.ExperimentId, 0, Storage.RingPhase.AllGather, 1, 0, 1, 0), TestContext.Current.CancellationToken);
        Assert.Equal(gathered, forwarded);
        if (mode == ChunkPersistence.Async)
        {
            // The forward is stored once, by the owner: rank 0's bundle names the chunk it received and its hash.
            var bundleKey = new ChunkBundleKey(config.ExperimentId, 0, Storage.RingPhase.AllGather, 0);
            var bundle = ChunkBundle.Decode(bundleKey, await fixture.Store.GetChunkBundleAsync(bundleKey, TestContext.Current.CancellationToken));
            var entry = Assert.Single(bundle.Entries, e => e.Key.Step == 1);
            Assert.Equal(new ChunkKey(config.ExperimentId, 0, Storage.RingPhase.AllGather, 0, 2, 0, 0), entry.SameAs);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(gathered), entry.SameAsHash);
        }
    }

    [Fact]
    public async Task KeepLastRetention_LeavesOnlyTheNewestIteration()
    {
        var config = Run("retention", ChunkPersistence.Async, ChunkRetention.KeepLast);

        await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        var chunks = await fixture.Store.ListSentChunksAsync(config.ExperimentId, cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, c => Assert.Equal(2, c.Iteration));
        var checkpoints = await fixture.Store.ListCheckpointsAsync(config.ExperimentId, TestContext.Current.CancellationToken);
        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.Equal(2, c.Iteration));
    }

    [Fact]
    public async Task DeleteAfterRun_LeavesNoChunksOrCheckpoints()
    {
        var config = Run("delete", ChunkPersistence.Async, ChunkRetention.DeleteAfterRun);

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.Empty(await fixture.Store.ListSentChunksAsync(config.ExperimentId, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Empty(await fixture.Store.ListCheckpointsAsync(config.ExperimentId, TestContext.Current.CancellationToken));
    }
}
