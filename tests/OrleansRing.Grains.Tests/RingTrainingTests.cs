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
