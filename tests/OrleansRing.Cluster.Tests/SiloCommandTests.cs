using OrleansRing.Hosting;

namespace OrleansRing.Cluster.Tests;

/// <summary>`orleansring silo` on its own: bad options, localhost clustering, graceful shutdown; and a client with nowhere to go.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private static readonly TimeSpan s_quick = TimeSpan.FromMinutes(2);

    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-silo-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Theory]
    [InlineData("--clustering", "bogus", "bogus")]
    [InlineData("--silo-port", "0", "SiloPort")]
    [InlineData("--chunk-store", "tape:/dev/st0", "tape")]
    [InlineData("--config", "no/such/settings.json", "does not exist")]
    [InlineData("--device", "gpu", "not one of auto, cpu, cuda or cuda:INDEX")]
    [InlineData("--device", "cuda", "CUDA requested (cuda) but TorchSharp reports no CUDA device: the CPU build of TorchSharp")]
    [InlineData("--health-port", "70000", "OrleansRing:Health:Port")]
    public async Task Silo_WithBadOption_ExitsTwo_WithOneLineReason(string option, string value, string expected)
    {
        var (exit, output, error) = await CliProcess.RunAsync(s_quick, null, TestContext.Current.CancellationToken, "silo", option, value);

        Assert.True(exit == 2, $"exit {exit}: {error}{output}");
        var reason = error.Trim();
        Assert.Contains(expected, reason);
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain("silo ready", output);
    }

    [Fact]
    public async Task Silo_WithBadClusteringInEnvironment_ExitsTwo_NamingTheKey()
    {
        var environment = new Dictionary<string, string> { ["ORLEANSRING__Cluster__Clustering"] = "bogus" };

        var (exit, _, error) = await CliProcess.RunAsync(s_quick, environment, TestContext.Current.CancellationToken, "silo");

        Assert.Equal(2, exit);
        Assert.Contains("OrleansRing:Cluster:Clustering", error);
        Assert.DoesNotContain('\n', error.Trim());
    }

    [Fact]
    public async Task LocalhostCluster_RunsAnExperiment_AndStopsGracefullyOnSigterm()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ports = SiloCluster.FreeLoopbackPorts(4);
        var clusterId = $"test-{Guid.NewGuid():N}"[..20];
        string[] common = ["--cluster-id", clusterId, "--concurrent-workers", "1", "--torch-threads", "1", "--shutdown-timeout", "20"];
        await using var primary = SiloProcess.Start("primary", ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", .. common]);
        await primary.WaitForReadyAsync(s_quick, cancellationToken);
        await using var secondary = SiloProcess.Start("secondary", ["--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}", "--primary-silo-port", $"{ports[0]}", .. common]);
        var ready = await secondary.WaitForReadyAsync(s_quick, cancellationToken);
        Assert.Matches(@$"^127\.0\.0\.1:{ports[2]}@\d+ gateway {ports[3]}$", ready);

        var (exit, output, error) = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), null, cancellationToken,
            "run", "--cluster", $"localhost:{ports[1]},{ports[3]}", "--cluster-id", clusterId,
            "--workers", "2", "--iterations", "1", "--batch", "8", "--synthetic-train", "256", "--synthetic-test", "64",
            "--out", Path.Combine(_out, "run"), "--quiet");
        Assert.True(exit == 0, $"run exited {exit}: {CliProcess.Tail(error)}{Environment.NewLine}{output}{Environment.NewLine}{primary.Describe()}{Environment.NewLine}{secondary.Describe()}");
        Assert.True(File.Exists(Path.Combine(_out, "run", "result.json")));

        // The secondary first: the primary of localhost clustering holds membership.
        Assert.Equal(0, await secondary.StopGracefullyAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await primary.StopGracefullyAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Client_WithNoSiloListening_FailsInTime_NamingClusteringAndEndpoint()
    {
        var port = SiloCluster.FreeLoopbackPorts(1)[0];
        var options = new ClusterConnectionOptions { GatewayPorts = [port], ClusterId = "nobody-home", ConnectTimeout = TimeSpan.FromSeconds(3) };

        var error = await Assert.ThrowsAsync<ClusterConnectionException>(
            () => OrleansRingClusterClient.ConnectAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("localhost clustering", error.Message);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("nobody-home", error.Message);
    }
}
