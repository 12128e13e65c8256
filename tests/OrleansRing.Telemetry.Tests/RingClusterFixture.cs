using Orleans.TestingHost;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Telemetry.Tests;

/// <summary>Three real silos in one process, recording timelines, with trace context propagated from the client.</summary>
public sealed class RingClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public string ChunkFolder { get; } = Path.Combine(Path.GetTempPath(), $"orleansring-telemetry-tests-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureHost(host => host.Configuration[TelemetryOptions.RecordTimelineKey] = "true");
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = ChunkFolder }));
        builder.ConfigureClient(client => client.AddActivityPropagation());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (Directory.Exists(ChunkFolder))
        {
            Directory.Delete(ChunkFolder, recursive: true);
        }
    }
}
