using Orleans.TestingHost;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>Three real silos in one process (Orleans' in-process test cluster), shared by the grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The folder chunk store every silo of this cluster shares, as silos of one machine would.</summary>
    public string ChunkFolder { get; } = Path.Combine(Path.GetTempPath(), $"orleansring-grain-tests-{Guid.NewGuid():N}");

    public IChunkStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = ChunkFolder }));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Store = new FolderChunkStore(ChunkFolder);
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
