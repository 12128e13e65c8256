using System.Security.Cryptography;
using OrleansRing.Abstractions;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>
/// One stored state per distinct replica state: the ring's first rank holds it, the others refer to it, and a rank
/// whose replica diverged stores its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SharedCheckpointTests(ClusterFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ExperimentConfig Persisted(ExperimentConfig config) =>
        config with { Persistence = ChunkPersistence.Async, Retention = ChunkRetention.KeepAll, CheckpointInterval = 1 };

    [Fact]
    public async Task AgreeingRing_StoresOneState_AndEveryRanksCheckpointRestoresIt()
    {
        var config = Persisted(SmallRing.Training("shared-checkpoints"));

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.True(result.ReplicasIdentical);
        for (var iteration = 0; iteration < config.Iterations; iteration++)
        {
            var holders = await fixture.Store.GetCheckpointAsync(new CheckpointKey(config.ExperimentId, iteration, 0), Ct);
            Assert.False(CheckpointReference.TryDecode(holders, out _));
            Assert.True(holders.Length > 10_000, $"rank 0's checkpoint of iteration {iteration} is {holders.Length} bytes, not a model state");
            for (var rank = 1; rank < SmallRing.Workers; rank++)
            {
                var key = new CheckpointKey(config.ExperimentId, iteration, rank);
                Assert.True(CheckpointReference.TryDecode(await fixture.Store.GetCheckpointAsync(key, Ct), out var reference));
                Assert.Equal(0, reference.HolderRank);
                Assert.Equal(SHA256.HashData(holders), reference.StateHash);
                Assert.Equal(holders, await fixture.Store.GetCheckpointStateAsync(key, Ct));
            }
        }
    }

    [Fact]
    public async Task DivergedReplicas_StoreTheirOwnStates_SoEveryCheckpointRestoresItsOwnRank()
    {
        // A forged all-gather leaves honest replicas with different parameters.
        var config = Persisted(SmallRing.Training("diverged-checkpoints") with { Attack = "ring-dissensus", AttackerRanks = "1" });

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.False(result.ReplicasIdentical);
        var last = config.Iterations - 1;
        var states = new byte[SmallRing.Workers][];
        for (var rank = 0; rank < SmallRing.Workers; rank++)
        {
            states[rank] = await fixture.Store.GetCheckpointStateAsync(new CheckpointKey(config.ExperimentId, last, rank), Ct);
        }
        var distinctStates = states.Select(Convert.ToHexString).Distinct().Count();
        Assert.True(distinctStates > 1);
        for (var rank = 1; rank < SmallRing.Workers; rank++)
        {
            // Identical states exactly where the replicas' parameters agree with the holder's.
            Assert.Equal(result.ParameterHashes[rank] == result.ParameterHashes[0], states[rank].AsSpan().SequenceEqual(states[0]));
        }
    }

    [Fact]
    public async Task WorkerMomentum_StoresEveryRanksOwnState()
    {
        // Each worker's momentum buffer is its own: no rank's state can stand in for another's.
        var config = Persisted(SmallRing.Training("worker-momentum-checkpoints") with { MomentumAt = MomentumPlacement.Worker, Iterations = 1 });

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.True(result.ReplicasIdentical);
        var checkpoints = new List<byte[]>();
        for (var rank = 0; rank < SmallRing.Workers; rank++)
        {
            var payload = await fixture.Store.GetCheckpointAsync(new CheckpointKey(config.ExperimentId, 0, rank), Ct);
            Assert.False(CheckpointReference.TryDecode(payload, out _));
            checkpoints.Add(payload);
        }
        Assert.Equal(SmallRing.Workers, checkpoints.Select(Convert.ToHexString).Distinct().Count());
    }
}
