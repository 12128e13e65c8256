using OrleansRing.Abstractions;
using OrleansRing.Results;
using OrleansRing.Sweeps;

namespace OrleansRing.Grains.Tests;

/// <summary>Sweeps on the 3-silo in-process cluster: failures stay local, divergence stops early, reruns skip what is done.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SweepRunnerTests(ClusterFixture fixture) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansring-sweep-{Guid.NewGuid():N}");

    private string Write(string name, string text)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Tiny(string name, string axes) => $"""
        name: {name}
        base:
          workers: 3
          iterations: 3
          batch: 8
          synthetic-train: 96
          synthetic-test: 32
          eval-interval: 1
          persistence: off
        axes:
        {axes}
        """;

    [Fact]
    public async Task A_Failed_Experiment_IsRecorded_TheOthersFinish_AndARerunRedoesNothing()
    {
        var garbage = Write("not-cifar.bin", new string('x', 100));
        var sweep = SweepFileParser.ParseFile(Write("s.yaml", Tiny($"mixed-{Guid.NewGuid():N}"[..20], $"  data: [synthetic, {Path.GetFileName(garbage)}]\n  seed: [1, 2]")));
        var folder = new SweepFolder(Path.Combine(_folder, "out"));

        var first = await new SweepRunner(fixture.Grains, folder) { MaxParallel = 2 }.RunAsync(sweep, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal((2, 2, 0), (first.Completed, first.Failed, first.Skipped));
        foreach (var (experiment, record) in sweep.Experiments.Zip(first.Experiments))
        {
            var synthetic = experiment.Value("data") == "synthetic";
            Assert.Equal(synthetic ? SweepExperimentState.Completed : SweepExperimentState.Failed, record.State);
            if (!synthetic)
            {
                Assert.Contains("not-cifar.bin", record.Error, StringComparison.Ordinal);
            }
        }
        var resultFile = Path.Combine(folder.ExperimentFolder(sweep.Experiments[0].Id), ResultFiles.ResultFileName);
        var written = File.GetLastWriteTimeUtc(resultFile);
        var summary = File.ReadAllLines(folder.SummaryPath);
        Assert.Equal(1 + 4, summary.Length);
        Assert.StartsWith("experiment_id,data,", summary[0], StringComparison.Ordinal);

        var second = await new SweepRunner(fixture.Grains, folder) { MaxParallel = 2 }.RunAsync(sweep, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal(4, second.Skipped);
        Assert.Equal(written, File.GetLastWriteTimeUtc(resultFile));
        Assert.Equal(first.Experiments.Select(e => e.State), second.Experiments.Select(e => e.State));
        var state = folder.TryLoadState()!;
        Assert.Equal(sweep.Experiments.Select(e => e.Id), state.Experiments.Select(e => e.Id));
    }

    [Fact]
    public async Task A_Loss_AboveTheBound_StopsTheRun_AsDiverged_AtThatIteration()
    {
        // Cross-entropy over ten classes starts near ln 10 ≈ 2.3, so a bound of 0.5 is crossed at once.
        var sweep = SweepFileParser.ParseFile(Write("d.yaml", Tiny($"div-{Guid.NewGuid():N}"[..16], "  divergence-loss: [0, 0.5]")));
        var folder = new SweepFolder(Path.Combine(_folder, "div"));

        var outcome = await new SweepRunner(fixture.Grains, folder).RunAsync(sweep, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal([SweepExperimentState.Completed, SweepExperimentState.Diverged], outcome.Experiments.Select(e => e.State));
        var diverged = ResultFiles.TryRead(folder.ExperimentFolder(sweep.Experiments[1].Id))!.Result;
        Assert.Equal(ExperimentState.Diverged, diverged.State);
        Assert.Equal(0, diverged.DivergedAtIteration);
        Assert.Single(diverged.Iterations);
        Assert.NotNull(diverged.FinalTestAccuracy);
        var completed = ResultFiles.TryRead(folder.ExperimentFolder(sweep.Experiments[0].Id))!.Result;
        Assert.Equal((3, (int?)null), (completed.Iterations.Count, completed.DivergedAtIteration));
    }

    [Fact]
    public async Task The_Cluster_Refuses_AnUnknownAttack_AtItsLineInTheFile()
    {
        var path = Write("u.yaml", Tiny("unknown", "  attack:\n    - none\n    - gradient-flipping\n    - no-such-attack"));
        var sweep = SweepFileParser.ParseFile(path);

        var error = await Assert.ThrowsAsync<SweepFileException>(() => SweepValidator.ThrowIfInvalidAsync(fixture.Grains, sweep, TestContext.Current.CancellationToken));

        var problem = Assert.Single(error.Problems);
        Assert.Equal((path, 14, 7), (problem.File, problem.Location.Line, problem.Location.Column));
        Assert.Contains("no-such-attack", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryFailed_RunsACancelledExperimentAgain_FromScratch_ToTheModelOfAnUncancelledRun()
    {
        // Persistence on (the default): the failed attempt's manifest is in the store, so a new activation reads it too.
        var text = $"""
            name: {$"retry-{Guid.NewGuid():N}"[..18]}
            base:
              workers: 3
              iterations: 30
              batch: 16
              synthetic-train: 384
              synthetic-test: 32
              eval-interval: 30
            axes:
              seed: [4]
            """;
        var sweep = SweepFileParser.ParseFile(Write("r.yaml", text));
        var experiment = sweep.Experiments.Single();
        var folder = new SweepFolder(Path.Combine(_folder, "retry"));
        var coordinator = fixture.Grains.GetGrain<IRingCoordinatorGrain>(experiment.Id);

        var first = new SweepRunner(fixture.Grains, folder).RunAsync(sweep, progress: null, TestContext.Current.CancellationToken);
        while ((await coordinator.GetStatusAsync()).IterationsCompleted < 2)
        {
            Assert.False(first.IsCompleted, "the experiment ended before it could be cancelled");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        await coordinator.CancelAsync("stopped by the test");
        var cancelled = await first;
        Assert.Equal(SweepExperimentState.Failed, cancelled.Experiments.Single().State);
        Assert.Contains("cancelled: stopped by the test", cancelled.Experiments.Single().Error, StringComparison.Ordinal);
        // Another configuration under the id is refused, and the failed attempt stays as it was.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => coordinator.ForgetFailedAttemptAsync(experiment.Config with { Iterations = 31 }));
        Assert.Contains("different configuration", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ExperimentState.Failed, (await coordinator.GetStatusAsync()).State);

        var retried = await new SweepRunner(fixture.Grains, folder) { RetryFailed = true }.RunAsync(sweep, progress: null, TestContext.Current.CancellationToken);

        var record = retried.Experiments.Single();
        Assert.True(record.State == SweepExperimentState.Completed, $"{record.State}: {record.Error}");
        var result = ResultFiles.TryRead(folder.ExperimentFolder(experiment.Id))!.Result;
        Assert.Equal(Enumerable.Range(0, 30), result.Iterations.Select(i => i.Iteration));
        Assert.Empty(result.Recoveries);
        var uncancelled = await ExperimentPolling.RunToEndAsync(fixture.Grains, experiment.Config with { ExperimentId = $"uncancelled-{Guid.NewGuid():N}" });
        Assert.Equal(uncancelled.ParameterHashes, result.ParameterHashes);
        Assert.Equal(uncancelled.Iterations.Select(i => i.TrainLoss), result.Iterations.Select(i => i.TrainLoss));
    }

    [Fact]
    public async Task Capacity_CountsEveryActiveSilo()
    {
        var capacity = await fixture.Grains.GetGrain<IClusterCapacityGrain>(0).GetCapacityAsync();

        Assert.Equal(ClusterFixture.SiloCount, capacity.ActiveSilos);
        Assert.Equal(0, capacity.WorkerSlots % ClusterFixture.SiloCount);
        Assert.Equal(Math.Max(1, capacity.WorkerSlots / 8), capacity.ExperimentsAtOnce(8));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
