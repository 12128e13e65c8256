using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RingTrainingTests(ClusterFixture fixture)
{
    private static ExperimentConfig SmallRun(string id, int workers, int iterations = 2, int seed = 1) => new()
    {
        ExperimentId = id,
        Workers = workers,
        Iterations = iterations,
        BatchSize = 16,
        EvaluationInterval = 1,
        Seed = seed,
        Data = new DataSourceSpec { SyntheticTrainCount = 512, SyntheticTestCount = 64 },
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Iterations_OnThreeSilos_LeaveReplicasBitwiseIdentical(int workers)
    {
        var config = SmallRun($"identical-{workers}-{Guid.NewGuid():N}", workers);

        var result = await RunToEndAsync(config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.Equal(workers, result.ParameterHashes.Count);
        Assert.Single(result.ParameterHashes.Distinct());
        Assert.True(result.ReplicasIdentical);
        Assert.All(result.Iterations, row => Assert.True(row.ReplicasIdentical));
    }

    [Fact]
    public async Task SameSeed_TwoRuns_GiveIdenticalModels_AndAnotherSeedDoesNot()
    {
        var first = await RunToEndAsync(SmallRun($"seed-a-{Guid.NewGuid():N}", 4, iterations: 3, seed: 7));
        var second = await RunToEndAsync(SmallRun($"seed-b-{Guid.NewGuid():N}", 4, iterations: 3, seed: 7));
        var other = await RunToEndAsync(SmallRun($"seed-c-{Guid.NewGuid():N}", 4, iterations: 3, seed: 8));

        Assert.Equal(first.ParameterHashes, second.ParameterHashes);
        Assert.Equal(first.Iterations.Select(i => i.TrainLoss), second.Iterations.Select(i => i.TrainLoss));
        Assert.NotEqual(first.ParameterHashes[0], other.ParameterHashes[0]);
    }

    [Theory]
    [InlineData(MomentumPlacement.Replica)]
    [InlineData(MomentumPlacement.Worker)] // each worker's momentum buffer averaged: the same step, up to rounding
    public async Task Ring_IsExactDataParallelism_EightWorkersMatchOneProcessOnTheGlobalBatch(MomentumPlacement momentumAt)
    {
        const int workers = 8;
        const int steps = 3;
        var config = SmallRun($"data-parallel-{Guid.NewGuid():N}", workers, iterations: steps) with { BatchSize = 64, MomentumAt = momentumAt, Data = new DataSourceSpec { SyntheticTrainCount = 2048, SyntheticTestCount = 64 } };
        var data = OrleansRing.Data.SyntheticCifar10.Create(2048, 64, config.Data.SyntheticSeed);
        var shards = OrleansRing.Data.DataPartitioner.Iid(2048, workers, config.DataSeed);
        var options = new Training.TrainingOptions { BatchSize = 64, Seed = config.Seed, LearningRate = config.LearningRate, Momentum = config.Momentum, WeightDecay = config.WeightDecay };
        var samplers = shards.Select((shard, rank) => new Training.ShardBatchSampler(shard, 64, config.Seed, rank)).ToArray();
        var ring = Enumerable.Range(0, workers).Select(r => fixture.Grains.GetGrain<IWorkerGrain>(WorkerKey.For(config.ExperimentId, r))).ToArray();
        await Task.WhenAll(ring.Select((w, r) => w.InitializeAsync(new WorkerAssignment { Config = config, Rank = r, Shard = shards[r] })));
        using var reference = new Training.SingleProcessTrainer(options, data.Train);

        for (var step = 0; step < steps; step++)
        {
            await Task.WhenAll(ring.Select(w => w.RunIterationAsync(step)));
            reference.Step(Training.SingleProcessTrainer.UnionOfBatches(samplers, step));
        }

        var expected = reference.ExportParameters();
        var actual = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(await ring[5].ExportParametersAsync()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / (1e-3 + Math.Abs(e))).Max();
        Assert.True(worst < 1e-3, $"largest relative parameter difference {worst}");
        using var initial = Training.ModelFactory.Create(Training.ModelKind.PaperCnn, config.Seed);
        Assert.NotEqual(expected, initial.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
        await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
    }

    [Fact]
    public async Task InvalidConfig_IsRejectedNamingTheField()
    {
        var config = SmallRun($"invalid-{Guid.NewGuid():N}", 0) with { LearningRate = -1 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId).StartAsync(config));

        Assert.Contains("workers must be in [1, 1024], got 0", error.Message);
        Assert.Contains("learning rate must be a positive number, got -1", error.Message);
    }

    private async Task<ExperimentResult> RunToEndAsync(ExperimentConfig config)
    {
        var coordinator = fixture.Grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await coordinator.StartAsync(config);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (status.State == ExperimentState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{config.ExperimentId} still running after 5 minutes: {status.IterationsCompleted}/{status.TotalIterations}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = await coordinator.GetStatusAsync();
        }
        return await coordinator.GetResultAsync() ?? throw new InvalidOperationException("no result");
    }
}
