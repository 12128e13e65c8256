using System.Diagnostics;
using Orleans;
using Orleans.Runtime;
using OrleansRing.Hosting;

namespace OrleansRing.Cluster.Tests;

/// <summary>--fast-failure-detection: a silo killed with SIGKILL is declared dead by the others within seconds.</summary>
public sealed class FailureDetectionTests
{
    /// <summary>Orleans' defaults take well over this (5 s probes, 3 misses, 2 votes); the fast settings take a few seconds.</summary>
    private static readonly TimeSpan s_detectionLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task KilledSilo_IsDeclaredDead_WithinSeconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var cluster = await SiloCluster.StartAsync(3, fastFailureDetection: true, cancellationToken);
        await using var client = await OrleansRingClusterClient.ConnectAsync(
            new ClusterConnectionOptions
            {
                Clustering = ClusteringKind.AzureTable,
                StorageConnectionString = cluster.Azurite.ConnectionString,
                ClusterId = cluster.ClusterId,
                FastFailureDetection = true,
            },
            cancellationToken: cancellationToken);
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var victim = cluster.Silos[^1];
        var victimAddress = SiloAddress.FromParsableString(victim.ReadyLine!.Split(' ')[0]);
        var hosts = await management.GetHosts(onlyActive: true, cancellationToken);
        Assert.True(hosts.ContainsKey(victimAddress), $"{victimAddress} should be active before the kill; hosts: {string.Join(", ", hosts)}");

        await victim.KillAsync();
        var clock = Stopwatch.StartNew();
        SiloStatus status = SiloStatus.Active;
        var lastError = "";
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                // A call that went to the dead silo's gateway waits out the response timeout (30 s); polling must not,
                // or the clock measures the client's timeout instead of the cluster's failure detection.
                status = (await management.GetHosts(onlyActive: false, cancellationToken).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken)).GetValueOrDefault(victimAddress, SiloStatus.None);
                if (status == SiloStatus.Dead)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The call may have gone through the dead silo's gateway; the client reroutes.
                lastError = ex.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        var detection = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"{victimAddress} declared {status} after {detection.TotalSeconds:0.0} s");

        Assert.True(status == SiloStatus.Dead, $"{victimAddress} is still {status} {detection.TotalSeconds:0} s after SIGKILL (last error: {lastError}).{Environment.NewLine}{cluster.Describe()}");
        Assert.True(detection < s_detectionLimit, $"{victimAddress} was declared dead only after {detection.TotalSeconds:0.0} s (limit {s_detectionLimit.TotalSeconds:0} s).");
        Assert.All(cluster.Silos.Take(2), s => Assert.False(s.HasExited, $"{s.Name} should have survived.{Environment.NewLine}{s.Describe()}"));
    }
}
