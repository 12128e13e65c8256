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
    public async Task Silo_WithApi_NeedsAToken_AndTheWebHost_OrExitsTwo()
    {
        var ct = TestContext.Current.CancellationToken;
        var noToken = await CliProcess.RunAsync(s_quick, new Dictionary<string, string> { ["ORLEANSRING_API_TOKENS"] = "" }, ct, "silo", "--api", "--health-port", "18089");
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("needs at least one bearer token: set ORLEANSRING_API_TOKENS", noToken.Error);

        var noWebHost = await CliProcess.RunAsync(s_quick, new Dictionary<string, string> { ["ORLEANSRING_API_TOKENS"] = "silo-test-token-0123456789" }, ct, "silo", "--api");
        Assert.Equal(2, noWebHost.ExitCode);
        Assert.Contains("give it a port with --health-port", noWebHost.Error);
        Assert.DoesNotContain("silo ready", noWebHost.Output);
    }

    [Fact]
    public async Task Silo_WithApi_ServesTheApi_BehindItsToken_BesideTheOpenHealthEndpoints()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ports = SiloCluster.FreeLoopbackPorts(3);
        const string token = "silo-test-token-0123456789";
        var environment = new Dictionary<string, string> { ["ORLEANSRING_API_TOKENS"] = token, ["ORLEANSRING__Api__ResultsFolder"] = _out };
        await using var silo = SiloProcess.Start("api", ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", "--api", "--health-port", $"{ports[2]}", "--health-address", "127.0.0.1", "--cluster-id", $"api-{Guid.NewGuid():N}"[..20]], environment);
        await silo.WaitForReadyAsync(s_quick, cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[2]}/") };

        using var anonymous = await http.GetAsync("api/plugins", cancellationToken);
        using var live = await http.GetAsync("healthz/live", cancellationToken);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var plugins = await http.GetStringAsync("api/plugins", cancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"gradient-ascent\"", plugins);
        Assert.Equal(0, await silo.StopGracefullyAsync(TimeSpan.FromSeconds(60)));
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
