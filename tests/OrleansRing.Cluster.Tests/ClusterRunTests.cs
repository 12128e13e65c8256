using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansRing.Cluster.Tests;

/// <summary>
/// `orleansring run --cluster` against three real silo processes with Azure Table clustering on Azurite: the same
/// computation as the embedded silo, across real TCP, with the ring spread over the silos.
/// </summary>
public sealed partial class ClusterRunTests : IDisposable
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(10);

    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-cluster-run-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Run_OnThreeSilos_GivesTheEmbeddedRunsParameters_WithWorkersOnSeveralSilos()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] experiment =
        [
            "--workers", "8", "--iterations", "3", "--batch", "16", "--synthetic-train", "1024", "--synthetic-test", "128",
            "--seed", "5", "--concurrent-workers", "1", "--torch-threads", "1", "--quiet",
        ];
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var embeddedOut = Path.Combine(_out, "embedded");
        var clusterOut = Path.Combine(_out, "cluster");
        var clusterExperiment = $"cluster-{suffix}";

        // The embedded reference run overlaps the silos' start-up; it is killed if the test ends early.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var embedded = CliProcess.RunAsync(s_runTimeout, null, stop.Token, ["run", .. experiment, "--id", $"embedded-{suffix}", "--out", embeddedOut]);
        try
        {
            await using var cluster = await SiloCluster.StartAsync(3, fastFailureDetection: false, cancellationToken);

            var (exit, output, error) = await CliProcess.RunAsync(s_runTimeout, null, cancellationToken,
                ["run", "--cluster", cluster.ClientSpec, "--cluster-id", cluster.ClusterId, .. experiment, "--id", clusterExperiment, "--out", clusterOut]);
            Assert.True(exit == 0, $"cluster run exited {exit}.{Environment.NewLine}stderr: {CliProcess.Tail(error)}{Environment.NewLine}stdout: {CliProcess.Tail(output)}{Environment.NewLine}{cluster.Describe()}");

            var (embeddedExit, embeddedOutput, embeddedError) = await embedded;
            Assert.True(embeddedExit == 0, $"embedded run exited {embeddedExit}: {CliProcess.Tail(embeddedError)}{Environment.NewLine}{CliProcess.Tail(embeddedOutput)}");

            var clusterResult = await ReadResultAsync(clusterOut, cancellationToken);
            var embeddedResult = await ReadResultAsync(embeddedOut, cancellationToken);
            Assert.Equal("completed", clusterResult.State);
            Assert.Equal(8, clusterResult.Hashes.Length);
            Assert.Single(clusterResult.Hashes.Distinct());
            Assert.Equal(embeddedResult.Hashes, clusterResult.Hashes);
            // Ring steps between silos went over the data plane, each connection admitted by the shared key.
            var fallbacks = cluster.Silos.SelectMany(s => s.StandardError).Where(l => l.Contains("cannot reach its successor's data plane", StringComparison.Ordinal) || l.Contains("Ring data plane refused", StringComparison.Ordinal)).ToList();
            Assert.True(fallbacks.Count == 0, string.Join(Environment.NewLine, fallbacks));
            // And the key was read: two silos without one would connect just as well, each warning that it admits any peer.
            var keyless = cluster.Silos.SelectMany(s => s.StandardError).Where(l => l.Contains("admits any peer", StringComparison.Ordinal)).ToList();
            Assert.True(keyless.Count == 0, string.Join(Environment.NewLine, keyless));
            Assert.Contains(cluster.Silos.SelectMany(s => s.StandardError), l => l.Contains("Ring data plane listening", StringComparison.Ordinal));

            // Each worker logs, in the silo process that hosts it, that it is ready: the placement as it happened.
            var ranksBySilo = cluster.Silos.ToDictionary(s => s.Name, s => ReadyRanks(s.StandardError, clusterExperiment));
            var placement = string.Join("; ", ranksBySilo.Select(p => $"{p.Key}: [{string.Join(",", p.Value)}]"));
            Assert.True(
                ranksBySilo.Values.SelectMany(r => r).Order().SequenceEqual(Enumerable.Range(0, 8)),
                $"every rank 0-7 should be reported ready by exactly one silo; got {placement}{Environment.NewLine}{cluster.Describe()}");
            Assert.True(ranksBySilo.Values.Count(r => r.Count > 0) >= 2, $"the 8 workers should be spread over more than one silo; got {placement}");
            TestContext.Current.TestOutputHelper?.WriteLine($"placement: {placement}");
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await embedded;
            }
            catch (OperationCanceledException)
            {
                // Killed because the test ended early; the failure that ended it is reported.
            }
        }
    }

    [Fact]
    public async Task SiloKilledWithSigkillMidRun_RunCompletes_WithTheUndisturbedParameters()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] experiment =
        [
            "--workers", "8", "--iterations", "12", "--batch", "16", "--synthetic-train", "1024", "--synthetic-test", "128",
            "--seed", "9", "--eval-interval", "6", "--checkpoint-interval", "2", "--step-timeout", "30", "--concurrent-workers", "1", "--torch-threads", "1", "--quiet",
        ];
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var disturbedId = $"sigkill-{suffix}";
        var embeddedOut = Path.Combine(_out, "undisturbed");
        var clusterOut = Path.Combine(_out, "disturbed");

        var chunks = Path.Combine(Path.GetTempPath(), $"orleansring-sigkill-chunks-{suffix}");
        await using var cluster = await SiloCluster.StartAsync(3, fastFailureDetection: true, cancellationToken, ["--chunk-store", $"folder:{chunks}"]);
        var store = new Storage.FolderChunkStore(chunks);
        try
        {
            var run = CliProcess.RunAsync(s_runTimeout, null, cancellationToken,
                ["run", "--cluster", cluster.ClientSpec, "--cluster-id", cluster.ClusterId, .. experiment, "--id", disturbedId, "--out", clusterOut]);

            // Mid-run: once iteration 3 is checkpointed by all ranks (checkpoints after 1, 3, 5…), SIGKILL a silo that hosts workers.
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while ((await store.ListCheckpointsAsync(disturbedId, cancellationToken)).Count(c => c.Iteration >= 2) < 8)
            {
                Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, $"the run never reached iteration 3{Environment.NewLine}{cluster.Describe()}");
                await Task.Delay(200, cancellationToken);
            }
            var victim = cluster.Silos.First(s => ReadyRanks(s.StandardError, disturbedId).Count > 0);
            await victim.KillAsync();

            var (exit, output, error) = await run;
            Assert.True(exit == 0, $"run exited {exit}.{Environment.NewLine}stderr: {CliProcess.Tail(error)}{Environment.NewLine}stdout: {CliProcess.Tail(output)}{Environment.NewLine}{cluster.Describe()}");
            var (embeddedExit, _, embeddedError) = await CliProcess.RunAsync(s_runTimeout, null, cancellationToken,
                ["run", .. experiment, "--id", $"undisturbed-{suffix}", "--out", embeddedOut]);
            Assert.True(embeddedExit == 0, CliProcess.Tail(embeddedError));

            var disturbed = await ReadResultAsync(clusterOut, cancellationToken);
            var undisturbed = await ReadResultAsync(embeddedOut, cancellationToken);
            Assert.Equal("completed", disturbed.State);
            Assert.Equal(undisturbed.Hashes, disturbed.Hashes);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(clusterOut, "result.json"), cancellationToken));
            var recoveries = document.RootElement.GetProperty("result").GetProperty("recoveries");
            Assert.True(recoveries.GetArrayLength() >= 1, $"the run should record its recovery; killed {victim.Name}");
            TestContext.Current.TestOutputHelper?.WriteLine($"killed {victim.Name}; recoveries: {recoveries}");
        }
        finally
        {
            if (Directory.Exists(chunks))
            {
                Directory.Delete(chunks, recursive: true);
            }
        }
    }

    private static List<int> ReadyRanks(IEnumerable<string> log, string experimentId) =>
        [.. log.Select(line => WorkerReady().Match(line))
            .Where(m => m.Success && m.Groups["experiment"].Value == experimentId)
            .Select(m => int.Parse(m.Groups["rank"].Value))
            .Order()];

    private static async Task<(string State, string[] Hashes)> ReadResultAsync(string folder, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "result.json"), cancellationToken));
        var result = document.RootElement.GetProperty("result");
        return (
            result.GetProperty("state").GetString() ?? "",
            [.. result.GetProperty("parameterHashes").EnumerateArray().Select(h => h.GetString() ?? "")]);
    }

    [GeneratedRegex(@"Worker (?<experiment>[^\s/]+)/(?<rank>\d+) of \d+ ready")]
    private static partial Regex WorkerReady();
}
