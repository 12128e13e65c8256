using OrleansRing.Cli.Commands;
using OrleansRing.Deployment.Tests;
using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Ring;
using OrleansRing.Hosting;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Cluster.Tests;

/// <summary>The names k8s/, infra/ and their tests (DeploymentContract) use are the ones the code reads.</summary>
public sealed class DeploymentContractTests
{
    [Fact]
    public void DeploymentContract_MatchesTheCodesConstants()
    {
        Assert.Equal(OrleansRingSiloBuilderExtensions.PluginsFolderKey, DeploymentContract.PluginsFolderKey);
        Assert.Equal(PluginFolder.EnvironmentVariable, DeploymentContract.PluginsVariable);
        Assert.Equal(HealthEndpointOptions.SectionName + ":" + nameof(HealthEndpointOptions.Port), DeploymentContract.HealthPortKey);
        Assert.Equal(HealthEndpointOptions.LivePath, DeploymentContract.LivePath);
        Assert.Equal(HealthEndpointOptions.ReadyPath, DeploymentContract.ReadyPath);
        Assert.Equal(HealthEndpointOptions.StartupPath, DeploymentContract.StartupPath);
        Assert.Equal(SiloCommand.ShutdownTimeoutKey, DeploymentContract.ShutdownTimeoutKey);
        Assert.Equal(ChunkDataPlane.PortKey, DeploymentContract.DataPlanePortKey);
        Assert.Equal(ChunkDataPlane.KeyKey, DeploymentContract.DataPlaneKeyKey);
        Assert.Equal(SiloCommand.ChunkStoreKey, DeploymentContract.ChunkStoreKey);
        Assert.Equal(ClusterConnectionOptions.PodIpVariable, DeploymentContract.PodIpVariable);
        Assert.Equal(ClusterConnectionOptions.DefaultTableName, DeploymentContract.MembershipTable);
        Assert.Equal(ClusterConnectionOptions.DefaultSiloPort, DeploymentContract.SiloPort);
        Assert.Equal(ClusterConnectionOptions.DefaultGatewayPort, DeploymentContract.GatewayPort);
        Assert.Equal(ClusterConnectionOptions.SectionName + ":" + nameof(ClusterConnectionOptions.TableServiceUri), DeploymentContract.TableServiceUriKey);
        Assert.Equal(PodEnvironment.PodNameVariable, DeploymentContract.PodNameVariable);
        Assert.Equal(PodEnvironment.PodNamespaceVariable, DeploymentContract.PodNamespaceVariable);
        Assert.Equal(PodEnvironment.ClusterIdVariable, DeploymentContract.ClusterIdVariable);
        Assert.Equal(PodEnvironment.ServiceIdVariable, DeploymentContract.ServiceIdVariable);
        Assert.Equal(TrainingComputeOptions.SectionName + ":" + nameof(TrainingComputeOptions.Device), DeploymentContract.DeviceKey);
    }
}
