using OrleansRing.Hosting;

namespace OrleansRing.Cluster.Tests;

/// <summary>The keyless (workload identity) form of Azure Table clustering, and what a pod's variables configure.</summary>
public sealed class ClusterConnectionOptionsTests
{
    [Fact]
    public void ClientSpec_WithATableServiceUri_UsesItWithoutAConnectionString()
    {
        var options = ClusterConnectionOptions.ParseClientSpec("azure-table:https://orleansringstore.table.core.windows.net");

        options.Validate();
        Assert.Equal(ClusteringKind.AzureTable, options.Clustering);
        Assert.Equal("https://orleansringstore.table.core.windows.net", options.TableServiceUri);
        Assert.Null(options.StorageConnectionString);
        Assert.Contains("https://orleansringstore.table.core.windows.net", options.Describe());
    }

    [Fact]
    public void TableServiceUri_WithAQuery_IsRejected_WithoutEchoingIt()
    {
        var options = new ClusterConnectionOptions { Clustering = ClusteringKind.AzureTable, TableServiceUri = "https://acct.table.core.windows.net/?sv=2024&sig=SECRET" };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(nameof(ClusterConnectionOptions.TableServiceUri), error.Message);
        Assert.DoesNotContain("SECRET", error.Message);
    }

    [Fact]
    public void PodEnvironment_ConfiguresSiloNameAndIds_OnlyForWhatIsSet()
    {
        var pod = new PodEnvironment { PodName = "silo-abc", ClusterId = "c1", PodIp = "10.1.2.3" };

        var settings = pod.ToConfiguration().ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(new Dictionary<string, string?>
        {
            ["OrleansRing:Cluster:SiloName"] = "silo-abc",
            ["OrleansRing:Cluster:ClusterId"] = "c1",
        }, settings);
        Assert.Contains("silo-abc", pod.Describe());
    }
}
