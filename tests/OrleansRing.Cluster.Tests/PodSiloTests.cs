using System.Net;
using Azure.Data.Tables;
using OrleansRing.Hosting;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Cluster.Tests;

/// <summary>
/// A silo process configured only the way a pod of k8s/base configures it: downward-API variables (POD_NAME,
/// POD_NAMESPACE, POD_IP, ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID) and ORLEANSRING__ variables from the ConfigMap and
/// Secret, no flags. POD_IP is 127.0.0.2, a loopback address other than the default, so an advertised address that
/// ignored it would show.
/// </summary>
public sealed class PodSiloTests : IDisposable
{
    private const string PodIp = "127.0.0.2";
    private static readonly TimeSpan s_ready = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(60);

    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-pod-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task PodLikeSilo_JoinsAzureTableCluster_AdvertisesPodIp_AndServesProbesBackedByRealChecks()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var azurite = await AzuriteProcess.StartIfInstalledAsync(cancellationToken);
        if (azurite is null)
        {
            Assert.Skip(AzuriteProcess.NotInstalledReason ?? "Azurite did not start.");
        }
        var ports = SiloCluster.FreeLoopbackPorts(3);
        var clusterId = $"pod-{Guid.NewGuid():N}"[..16];
        var serviceId = $"svc-{Guid.NewGuid():N}"[..16];
        const string podName = "orleansring-silo-5c7d9-x2k4q";
        var environment = new Dictionary<string, string>
        {
            [PodEnvironment.PodNameVariable] = podName,
            [PodEnvironment.PodNamespaceVariable] = "orleansring-test",
            [ClusterConnectionOptions.PodIpVariable] = PodIp,
            [PodEnvironment.ClusterIdVariable] = clusterId,
            [PodEnvironment.ServiceIdVariable] = serviceId,
            ["ORLEANSRING__Cluster__Clustering"] = "azure-table",
            ["ORLEANSRING__Cluster__StorageConnectionString"] = azurite.ConnectionString,
            ["ORLEANSRING__Cluster__SiloPort"] = $"{ports[0]}",
            ["ORLEANSRING__Cluster__GatewayPort"] = $"{ports[1]}",
            ["ORLEANSRING__ChunkStore"] = $"azure:{azurite.ConnectionString}",
            ["ORLEANSRING__ChunkStore__RetryTimeLimitSeconds"] = "5",
            ["ORLEANSRING__Health__Port"] = $"{ports[2]}",
            ["ORLEANSRING__Health__Address"] = PodIp,
            ["ORLEANSRING__Health__StoreCheckTimeout"] = "00:00:02",
            ["ORLEANSRING__Compute__ConcurrentWorkers"] = "1",
            ["ORLEANSRING__Silo__ShutdownTimeout"] = "00:00:30",
        };
        await using var silo = SiloProcess.Start("pod silo", [], environment);
        var ready = await silo.WaitForReadyAsync(s_ready, cancellationToken);
        Assert.Matches(@$"^127\.0\.0\.2:{ports[0]}@\d+ gateway {ports[1]}$", ready);

        // The membership table says where the cluster finds this silo: the pod's name and IP, under the pod's cluster id.
        var table = new TableClient(azurite.ConnectionString, ClusterConnectionOptions.DefaultTableName);
        var rows = table.Query<TableEntity>(e => e.PartitionKey == clusterId, cancellationToken: cancellationToken).ToList();
        var entry = Assert.Single(rows, r => r.GetString("SiloName") == podName);
        Assert.Equal(PodIp, entry.GetString("Address"));
        Assert.Equal($"{ports[0]}", entry.GetString("Port"));
        Assert.Equal("Active", entry.GetString("Status"));

        // A client that finds gateways in that table reaches the silo at the advertised address and trains.
        var (exit, output, error) = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), null, cancellationToken,
            "run", "--cluster", $"azure-table:{azurite.ConnectionString}", "--cluster-id", clusterId, "--service-id", serviceId,
            "--workers", "2", "--iterations", "1", "--batch", "8", "--synthetic-train", "256", "--synthetic-test", "64",
            "--persistence", "off", "--out", Path.Combine(_out, "run"), "--quiet");
        Assert.True(exit == 0, $"run exited {exit}: {CliProcess.Tail(error)}{Environment.NewLine}{output}{Environment.NewLine}{silo.Describe()}");

        using var http = new HttpClient { BaseAddress = new Uri($"http://{PodIp}:{ports[2]}"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, HealthEndpointOptions.StartupPath, cancellationToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, HealthEndpointOptions.LivePath, cancellationToken)).Status);
        var readyProbe = await WaitForAsync(http, HealthEndpointOptions.ReadyPath, HttpStatusCode.OK, cancellationToken);
        Assert.Contains("chunk-store: Healthy", readyProbe.Body);

        // The store goes away: the silo stops being ready (it would fail persisting runs) but stays alive. An orderly
        // stop, so Azurite keeps the membership table it was given seconds ago (it saves only every 5 s otherwise) and
        // the silo can record its own shutdown at the end.
        await azurite.StopGracefullyAsync();
        var notReady = await WaitForAsync(http, HealthEndpointOptions.ReadyPath, HttpStatusCode.ServiceUnavailable, cancellationToken);
        Assert.Contains("chunk-store: Unhealthy", notReady.Body);
        Assert.Contains("silo-active: Healthy", notReady.Body);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, HealthEndpointOptions.LivePath, cancellationToken)).Status);

        await azurite.RestartAsync(cancellationToken);
        await WaitForAsync(http, HealthEndpointOptions.ReadyPath, HttpStatusCode.OK, cancellationToken);

        Assert.Equal(0, await silo.StopGracefullyAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Probes until <paramref name="path"/> answers <paramref name="expected"/>, as kubelet would, for at most a minute.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> WaitForAsync(HttpClient http, string path, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + s_settle;
        while (true)
        {
            var answer = await GetAsync(http, path, cancellationToken);
            if (answer.Status == expected)
            {
                return answer;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} still answers {(int)answer.Status} after {s_settle.TotalSeconds:0} s, expected {(int)expected}: {answer.Body}");
            }
            await Task.Delay(500, cancellationToken);
        }
    }
}
