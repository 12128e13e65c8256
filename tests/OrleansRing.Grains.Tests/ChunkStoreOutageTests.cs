using System.Diagnostics;
using Orleans.TestingHost;
using OrleansRing.Abstractions;
using OrleansRing.Hosting;
using OrleansRing.Storage;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Grains.Tests;

/// <summary>
/// The chunk store going away under a running ring: a real Azurite of this test's own, killed and restarted, behind
/// a cluster of this test's own (each test needs its own retry limit). Persistence is sync, so every ring step
/// waits until its chunk is in the store.
/// </summary>
/// <remarks>
/// Azurite loses blobs written shortly before it is killed. Sync persistence never reads chunks back (the message
/// carries the payload) and checkpoints are read only in a recovery, which the outage within the retry limit must
/// not cause; so lost blobs cannot change these outcomes.
/// </remarks>
public sealed class ChunkStoreOutageTests : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private InProcessTestCluster? _cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _azurite = await AzuriteProcess.StartIfInstalledAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private static ExperimentConfig Run(string name, int iterations) => new()
    {
        ExperimentId = $"{name}-{Guid.NewGuid():N}",
        Workers = 4,
        Iterations = iterations,
        BatchSize = 16,
        EvaluationInterval = 100,
        Persistence = ChunkPersistence.Sync,
        // Fewer checkpoints (7 MB per rank each) keep Azurite, and the test, quick; none is read here.
        CheckpointInterval = 4,
        StepTimeout = TimeSpan.FromSeconds(30),
        Data = new DataSourceSpec { SyntheticTrainCount = 512, SyntheticTestCount = 64 },
    };

    [Fact]
    public async Task StoreDownForSecondsMidRun_RunCompletes_WithTheUndisturbedModel()
    {
        // The limit must cover the outage plus Azurite's restart (several seconds on a busy machine), and stay
        // under the 30 s Orleans response timeout of the iteration call that waits on it.
        var (azurite, cluster) = await StartAsync(TimeSpan.FromSeconds(20));
        var undisturbed = await ExperimentPolling.RunToEndAsync(cluster.Client, Run("undisturbed", 10));
        var config = Run("outage", 10);
        var coordinator = cluster.Client.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        int? atStop = null;
        int? beforeRestart = null;

        var disturbed = await ExperimentPolling.RunToEndAsync(cluster.Client, config, TimeSpan.FromMinutes(5), async status =>
        {
            if (atStop is null && status.IterationsCompleted >= 2)
            {
                await azurite.StopAsync();
                atStop = (await coordinator.GetStatusAsync()).IterationsCompleted;
                // The outage itself: its length is the point, not a wait for something to happen.
                await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
                beforeRestart = (await coordinator.GetStatusAsync()).IterationsCompleted;
                await azurite.RestartAsync(Ct);
            }
        });

        Assert.NotNull(atStop);
        Assert.True(atStop < 10, $"the run had finished ({atStop} iterations) before the store went down");
        // An iteration whose chunks were all stored before the kill may still finish; the next one cannot start
        // before the manifest is saved. A ring that did not wait on the store would have run on.
        Assert.InRange(beforeRestart!.Value - atStop!.Value, 0, 1);
        Assert.True(disturbed.State == ExperimentState.Completed, $"{disturbed.State}: {disturbed.Error}");
        Assert.Empty(disturbed.Recoveries);
        Assert.Equal(Enumerable.Range(0, 10), disturbed.Iterations.Select(i => i.Iteration));
        Assert.Equal(undisturbed.ParameterHashes, disturbed.ParameterHashes);
        Assert.Equal(undisturbed.Iterations.Select(i => i.TrainLoss), disturbed.Iterations.Select(i => i.TrainLoss));
    }

    [Fact]
    public async Task StoreDownLongerThanRetryLimit_RunFails_SayingTheStoreIsUnreachable()
    {
        var (azurite, cluster) = await StartAsync(TimeSpan.FromSeconds(3));
        var config = Run("down", 30) with { StepTimeout = TimeSpan.FromSeconds(10) };
        var sinceStop = new Stopwatch();

        // The store stays down until the run has ended.
        var result = await ExperimentPolling.RunToEndAsync(cluster.Client, config, TimeSpan.FromMinutes(3), async status =>
        {
            if (!sinceStop.IsRunning && status.IterationsCompleted >= 2)
            {
                await azurite.StopAsync();
                sinceStop.Start();
            }
        });

        Assert.True(sinceStop.IsRunning, "the run ended before the store went down");
        Assert.Equal(ExperimentState.Failed, result.State);
        Assert.Contains("unreachable", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"http://127.0.0.1:{azurite.BlobPort}/{AzuriteProcess.AccountName}/chunks", result.Error, StringComparison.Ordinal);
        Assert.Contains("3 s retry limit", result.Error, StringComparison.Ordinal);
        Assert.InRange(result.Iterations.Count, 2, 29);
        // Retry limit, step timeout and the failed recovery's listing: far less than a run of stalled steps.
        Assert.True(sinceStop.Elapsed < TimeSpan.FromSeconds(60), $"the run took {sinceStop.Elapsed} to fail after the store went down");
    }

    [Fact]
    public async Task StartWhileStoreIsDown_FailsAtOnce_AndStartsOnceTheStoreIsBack()
    {
        // A long limit, so that "at once" cannot be an operation that retried until the limit and then gave up.
        var (azurite, cluster) = await StartAsync(TimeSpan.FromSeconds(20));
        await azurite.StopAsync();
        var config = Run("start-down", 2);
        var coordinator = cluster.Client.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => coordinator.StartAsync(config));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"StartAsync took {clock.Elapsed} to fail");
        Assert.Contains($"http://127.0.0.1:{azurite.BlobPort}/{AzuriteProcess.AccountName}/chunks is not reachable", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExperimentState.NotStarted, (await coordinator.GetStatusAsync()).State);

        // Nothing was left half-started: with the store back, the same experiment runs.
        await azurite.RestartAsync(Ct);
        var result = await ExperimentPolling.RunToEndAsync(cluster.Client, config);
        Assert.True(result.State == ExperimentState.Completed, $"{result.State}: {result.Error}");
    }

    private async Task<(AzuriteProcess Azurite, InProcessTestCluster Cluster)> StartAsync(TimeSpan retryLimit)
    {
        if (_azurite is null)
        {
            Assert.Skip(AzuriteProcess.NotInstalledReason ?? "Azurite did not start.");
        }
        var store = new ChunkStoreOptions
        {
            Kind = ChunkStoreKind.Azure,
            ConnectionString = _azurite.ConnectionString,
            Retry = ChunkStoreRetryPolicy.Default with { TimeLimit = retryLimit, MaxDelay = TimeSpan.FromSeconds(1) },
        };
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: store));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        return (_azurite, _cluster);
    }
}
