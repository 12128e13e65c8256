using Orleans.TestingHost;
using OrleansRing.Abstractions;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>A cluster of its own, because these tests kill silos.</summary>
public sealed class SiloLossRecoveryTests : IAsyncLifetime
{
    private readonly string _chunks = Path.Combine(Path.GetTempPath(), $"orleansring-recovery-{Guid.NewGuid():N}");
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = _chunks }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_chunks))
        {
            Directory.Delete(_chunks, recursive: true);
        }
    }

    private static ExperimentConfig Run(string name) => new()
    {
        ExperimentId = $"{name}-{Guid.NewGuid():N}",
        Workers = 8,
        Iterations = 10,
        BatchSize = 16,
        EvaluationInterval = 5,
        StepTimeout = TimeSpan.FromSeconds(20),
        Data = new DataSourceSpec { SyntheticTrainCount = 1024, SyntheticTestCount = 64 },
    };

    [Fact]
    public async Task SiloKilledMidRun_RunCompletes_WithTheUndisturbedModel()
    {
        var undisturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, Run("undisturbed"));
        var killed = false;
        var config = Run("disturbed");

        var disturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, config, TimeSpan.FromMinutes(8), async status =>
        {
            if (!killed && status.IterationsCompleted >= 3)
            {
                killed = true;
                // A silo that hosts workers of this run, but not the primary: the test cluster keeps membership there.
                var management = _cluster.Client.GetGrain<IManagementGrain>(0);
                var activations = await management.GetDetailedGrainStatistics();
                var hosts = activations
                    .Where(a => a.GrainId.ToString().Contains(config.ExperimentId, StringComparison.Ordinal))
                    .Select(a => a.SiloAddress)
                    .ToHashSet();
                var victim = _cluster.Silos.Skip(1).First(s => hosts.Contains(s.SiloAddress));
                await _cluster.KillSiloAsync(victim);
            }
        });

        Assert.True(killed);
        Assert.True(disturbed.State == ExperimentState.Completed, $"{disturbed.State}: {disturbed.Error}; recoveries: {string.Join(" | ", disturbed.Recoveries.Select(r => $"{r.FailedIteration}->{r.ResumedFromIteration}: {r.Reason}"))}");
        Assert.NotEmpty(disturbed.Recoveries);
        Assert.Equal(10, disturbed.Iterations.Count);
        Assert.Equal(Enumerable.Range(0, 10), disturbed.Iterations.Select(i => i.Iteration));
        Assert.Equal(undisturbed.ParameterHashes, disturbed.ParameterHashes);
        Assert.Equal(undisturbed.Iterations.Select(i => i.TrainLoss), disturbed.Iterations.Select(i => i.TrainLoss));
    }
}
