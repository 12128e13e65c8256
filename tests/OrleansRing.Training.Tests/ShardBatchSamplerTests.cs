namespace OrleansRing.Training.Tests;

public sealed class ShardBatchSamplerTests
{
    // 50 images in batches of 7: batches straddle epochs.
    private static readonly int[] s_shard = [.. Enumerable.Range(0, 50).Select(i => 1000 + (3 * i))];

    [Fact]
    public void BatchIndices_ConsecutiveBatches_CoverShardExactlyOncePerEpoch()
    {
        var sampler = new ShardBatchSampler(s_shard, batchSize: 7, seed: 1, rank: 2);
        const int epochs = 3;
        var iterations = ((epochs * s_shard.Length) + 6) / 7;

        var stream = Enumerable.Range(0, iterations).SelectMany(t => sampler.BatchIndices(t)).ToArray();

        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var visited = stream.Skip(epoch * s_shard.Length).Take(s_shard.Length).ToArray();
            Assert.Equal(s_shard, visited.Order());
            Assert.Equal(sampler.EpochOrder(epoch), visited);
        }
        Assert.NotEqual(sampler.EpochOrder(0), sampler.EpochOrder(1));
        Assert.NotEqual(s_shard, sampler.EpochOrder(0));
    }

    [Fact]
    public void EpochOf_Iteration_IsEpochOfFirstSample()
    {
        var sampler = new ShardBatchSampler(s_shard, batchSize: 7, seed: 1, rank: 0);

        Assert.Equal(0, sampler.EpochOf(0));
        Assert.Equal(0, sampler.EpochOf(7));   // samples 49..55 start in epoch 0
        Assert.Equal(1, sampler.EpochOf(8));   // samples 56..62
        Assert.Equal(2, sampler.EpochOf(15));  // samples 105..111
    }

    [Fact]
    public void BatchIndices_SameArguments_SameBatchesInAnyQueryOrder()
    {
        var a = new ShardBatchSampler(s_shard, batchSize: 7, seed: 4, rank: 1);
        var b = new ShardBatchSampler(s_shard, batchSize: 7, seed: 4, rank: 1);

        var forward = Enumerable.Range(0, 40).Select(t => a.BatchIndices(t)).ToArray();
        var backward = Enumerable.Range(0, 40).Reverse().Select(t => b.BatchIndices(t)).Reverse().ToArray();

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void BatchIndices_OtherRankOrSeed_OtherOrder()
    {
        var reference = new ShardBatchSampler(s_shard, 7, seed: 4, rank: 1).EpochOrder(0);

        Assert.NotEqual(reference, new ShardBatchSampler(s_shard, 7, seed: 4, rank: 2).EpochOrder(0));
        Assert.NotEqual(reference, new ShardBatchSampler(s_shard, 7, seed: 5, rank: 1).EpochOrder(0));
    }

    [Fact]
    public void Constructor_InvalidShard_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ShardBatchSampler([], 7, 1, 0));
        var duplicate = Assert.Throws<ArgumentException>(() => new ShardBatchSampler([1, 2, 1], 2, 1, 0));
        Assert.Contains("more than once", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ShardBatchSampler([-1], 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardBatchSampler([1], 0, 1, 0));
    }
}
