using Orleans.TestingHost;
using OrleansRing.Abstractions;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>A cluster of its own, because these tests kill silos.</summary>
public sealed class SiloLossRecoveryTests : IAsyncLifetime
{
    private readonly string _chunks = Path.Combine(Path.GetTempPath(), $"orleansring-recovery-{Guid.NewGuid():N}");
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = _chunks }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_chunks))
        {
            Directory.Delete(_chunks, recursive: true);
        }
    }

    private static ExperimentConfig Run(string name) => new()
    {
        ExperimentId = $"{name}-{Guid.NewGuid():N}",
        Workers = 8,
        Iterations = 10,
        BatchSize = 16,
        EvaluationInterval = 5,
        // Checkpoints after iterations 1, 3, 5…: a loss after iteration 3 resumes from a checkpoint and may redo one.
        CheckpointInterval = 2,
        StepTimeout = TimeSpan.FromSeconds(20),
        Data = new DataSourceSpec { SyntheticTrainCount = 1024, SyntheticTestCount = 64 },
    };

    [Fact]
    public async Task SiloKilledMidRun_RunCompletes_WithTheUndisturbedModel()
    {
        var undisturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, Run("undisturbed"));
        var killed = false;
        var config = Run("disturbed");

        var disturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, config, TimeSpan.FromMinutes(8), async status =>
        {
            if (!killed && status.IterationsCompleted >= 3)
            {
                killed = true;
                await KillASiloOfAsync(config.ExperimentId);
            }
        });

        Assert.True(killed);
        Assert.True(disturbed.State == ExperimentState.Completed, $"{disturbed.State}: {disturbed.Error}; recoveries: {string.Join(" | ", disturbed.Recoveries.Select(r => $"{r.FailedIteration}->{r.ResumedFromIteration}: {r.Reason}"))}");
        Assert.NotEmpty(disturbed.Recoveries);
        Assert.Equal(10, disturbed.Iterations.Count);
        Assert.Equal(Enumerable.Range(0, 10), disturbed.Iterations.Select(i => i.Iteration));
        Assert.Equal(undisturbed.ParameterHashes, disturbed.ParameterHashes);
        Assert.Equal(undisturbed.Iterations.Select(i => i.TrainLoss), disturbed.Iterations.Select(i => i.TrainLoss));
    }

    [Fact]
    public async Task SiloKilledBeforeTheFirstCheckpoint_RunRestarts_AndCountsEveryByteOnce()
    {
        // Checkpoints only after iteration 5: a loss before it restarts the run, re-running the iterations already counted.
        var undisturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, Run("undisturbed") with { CheckpointInterval = 6 });
        var config = Run("restarted") with { CheckpointInterval = 6 };
        var killed = false;

        var disturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, config, TimeSpan.FromMinutes(8), async status =>
        {
            if (!killed && status.IterationsCompleted >= 2)
            {
                killed = true;
                await KillASiloOfAsync(config.ExperimentId);
            }
        });

        Assert.True(disturbed.State == ExperimentState.Completed, $"{disturbed.State}: {disturbed.Error}");
        // Completed iterations were run again, so a count that kept them would be too high.
        Assert.Contains(disturbed.Recoveries, r => r.FailedIteration > r.ResumedFromIteration + 1);
        Assert.Equal(undisturbed.ParameterHashes, disturbed.ParameterHashes);
        Assert.Equal(undisturbed.BytesSentPerWorker, disturbed.BytesSentPerWorker);
        Assert.Equal(undisturbed.Iterations.Select(i => i.BytesSent), disturbed.Iterations.Select(i => i.BytesSent));
    }

    [Fact]
    public async Task CoordinatorDeactivatedMidRun_TheNextActivationResumes_AndTheOldLoopStops()
    {
        // Orleans ends an activation whose directory entry lived on a lost silo, and on a graceful stop or a migration;
        // the run loop is not a request, so it would outlive its activation and fight the one that resumes (CI saw
        // two loops aborting each other's iterations until the recoveries ran out).
        var undisturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, Run("undisturbed"));
        var config = Run("deactivated");
        var coordinator = _cluster.Client.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var deactivated = false;

        var disturbed = await ExperimentPolling.RunToEndAsync(_cluster.Client, config, TimeSpan.FromMinutes(8), async status =>
        {
            if (!deactivated && status.IterationsCompleted >= 3)
            {
                deactivated = true;
                await _cluster.DeactivateAsync(coordinator);
            }
        });

        Assert.True(deactivated);
        var recoveries = string.Join(" | ", disturbed.Recoveries.Select(r => $"{r.FailedIteration}->{r.ResumedFromIteration}: {r.Reason}"));
        Assert.True(disturbed.State == ExperimentState.Completed, $"{disturbed.State}: {disturbed.Error}; recoveries: {recoveries}");
        // One handover, by the next activation; a second loop would have aborted its iterations and recovered again.
        Assert.True(disturbed.Recoveries.Count == 1, $"expected one recovery; got {recoveries}");
        Assert.Contains("previous activation", disturbed.Recoveries[0].Reason);
        Assert.Equal(Enumerable.Range(0, 10), disturbed.Iterations.Select(i => i.Iteration));
        Assert.Equal(undisturbed.ParameterHashes, disturbed.ParameterHashes);
        Assert.Equal(undisturbed.Iterations.Select(i => i.TrainLoss), disturbed.Iterations.Select(i => i.TrainLoss));
        Assert.Equal(undisturbed.BytesSentPerWorker, disturbed.BytesSentPerWorker);
    }

    /// <summary>Kills a silo that hosts workers of the experiment, but not the primary: the test cluster keeps membership there.</summary>
    private async Task KillASiloOfAsync(string experimentId)
    {
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        var hosts = activations
            .Where(a => a.GrainId.ToString().Contains(experimentId, StringComparison.Ordinal))
            .Select(a => a.SiloAddress)
            .ToHashSet();
        var victim = _cluster.Silos.Skip(1).First(s => hosts.Contains(s.SiloAddress));
        await _cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CoordinatorsSiloKilledRightAfterACancel_TheResumedCoordinatorEndsTheRun_InsteadOfFinishingIt()
    {
        // The cancel is seen by the iteration loop only between iterations; killing the silo at once leaves the
        // manifest as the only record of it. Iterations of batch 64 take long enough for the kill to come first.
        ExperimentConfig? config = null;
        var cancelled = false;
        for (var attempt = 0; attempt < 6 && !cancelled; attempt++)
        {
            config = Run("cancel-then-lost") with { Iterations = 40, BatchSize = 64 };
            var coordinator = _cluster.Client.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
            await coordinator.StartAsync(config);
            var victim = await CoordinatorSiloAsync(config.ExperimentId);
            if (victim is null)
            {
                // On the primary, which the test cluster cannot lose: try another placement.
                await coordinator.CancelAsync("coordinator on the primary silo");
                await ExperimentPolling.WaitForEndAsync(coordinator);
                continue;
            }
            while ((await coordinator.GetStatusAsync()).IterationsCompleted < 2)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            var status = await coordinator.CancelAsync("stopped by the test");
            await _cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);
            cancelled = true;
            Assert.Equal(ExperimentState.Running, status.State);
        }
        Assert.True(cancelled, "every coordinator landed on the primary silo");

        var result = await ExperimentPolling.WaitForEndAsync(_cluster.Client.GetGrain<IRingCoordinatorGrain>(config!.ExperimentId), TimeSpan.FromMinutes(4));

        Assert.True(result.State == ExperimentState.Failed, $"{result.State} after {result.Iterations.Count} iterations: {result.Error}");
        Assert.Contains("cancelled: stopped by the test", result.Error);
        Assert.True(result.Iterations.Count < 40, $"{result.Iterations.Count} iterations ran after the cancel");
    }

    /// <summary>The silo hosting the experiment's coordinator, or null when that is the primary silo.</summary>
    private async Task<InProcessSiloHandle?> CoordinatorSiloAsync(string experimentId)
    {
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        var host = activations.Single(a => a.GrainType.Contains(nameof(RingCoordinatorGrain), StringComparison.Ordinal)
            && a.GrainId.ToString().Contains(experimentId, StringComparison.Ordinal)).SiloAddress;
        return _cluster.Silos.Skip(1).FirstOrDefault(s => s.SiloAddress.Equals(host));
    }
}
