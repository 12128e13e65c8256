using Microsoft.Extensions.DependencyInjection;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Ring;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ExperimentCompletionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ARunReportsItsEnd_OnlyOnceItsWorkersAreReleased()
    {
        // A client that stops its silo as soon as the run ends (the CLI, the benchmarks) must find nothing left to release.
        var config = SmallRing.Training("released");
        var coordinator = fixture.Grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await coordinator.StartAsync(config);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (status.State == ExperimentState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not end");
            status = await coordinator.GetStatusAsync(); // no pause: the first terminal status is the one that counts
        }

        var routes = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<LocalChunkRoutes>()).ToList();
        var stillJoined = Enumerable.Range(0, config.Workers)
            .Where(rank => routes.Any(r => r.TryGet(WorkerKey.For(config.ExperimentId, rank), out _)))
            .ToList();
        Assert.Equal(ExperimentState.Completed, status.State);
        Assert.Empty(stillJoined);
    }
}
