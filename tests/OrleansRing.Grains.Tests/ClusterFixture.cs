using Orleans.TestingHost;
using OrleansRing.Hosting;

namespace OrleansRing.Grains.Tests;

/// <summary>Three real silos in one process (Orleans' in-process test cluster), shared by the grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }
}
