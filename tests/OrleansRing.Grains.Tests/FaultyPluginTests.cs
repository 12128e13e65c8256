using Orleans.TestingHost;
using OrleansRing.Abstractions;
using OrleansRing.Hosting;
using OrleansRing.Storage;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Grains.Tests;

/// <summary>A cluster whose silos load the deliberately faulty plugins (artifacts/test-plugins).</summary>
public sealed class FaultyPluginTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureHost(host =>
        {
            host.Configuration[OrleansRingSiloBuilderExtensions.PluginsFolderKey] = Path.Combine(RepositoryPaths.Root, "artifacts", "test-plugins");
            host.Configuration[OrleansRingSiloBuilderExtensions.PluginTimeLimitKey] = "1";
        });
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = Path.Combine(Path.GetTempPath(), $"orleansring-faulty-{Guid.NewGuid():N}") }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("throwing-attack:hook=contribution", "contribution")]
    [InlineData("throwing-attack:hook=transmitted", "transmit")]
    [InlineData("wrong-length-attack", "contribution")]
    [InlineData("hanging-attack:hang-ms=20000", "transmit")]
    public async Task FaultyPlugin_FailsTheExperiment_NamingPluginAndHook(string attack, string hook)
    {
        var config = new ExperimentConfig
        {
            ExperimentId = $"faulty-{Guid.NewGuid():N}",
            Workers = 3,
            Iterations = 2,
            BatchSize = 8,
            Persistence = ChunkPersistence.Off,
            Attack = attack,
            AttackerRanks = "1",
            Data = new DataSourceSpec { SyntheticTrainCount = 96, SyntheticTestCount = 16 },
        };

        var result = await ExperimentPolling.RunToEndAsync(_cluster.Client, config);

        Assert.Equal(ExperimentState.Failed, result.State);
        Assert.Contains(attack.Split(':')[0], result.Error);
        Assert.Contains(hook, result.Error!, StringComparison.OrdinalIgnoreCase);
        // The silo is unaffected: a clean run afterwards completes.
        var clean = await ExperimentPolling.RunToEndAsync(_cluster.Client, config with { ExperimentId = $"after-{Guid.NewGuid():N}", Attack = null, AttackerRanks = null });
        Assert.Equal(ExperimentState.Completed, clean.State);
    }
}
