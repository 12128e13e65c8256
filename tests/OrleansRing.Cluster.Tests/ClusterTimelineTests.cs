using OrleansRing.Telemetry;

namespace OrleansRing.Cluster.Tests;

/// <summary>The timeline of a run on two silo processes: each silo records its own workers, the coordinator gathers them.</summary>
public sealed class ClusterTimelineTests : IDisposable
{
    private static readonly TimeSpan s_quick = TimeSpan.FromMinutes(2);

    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-cluster-timeline-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task RunOnTwoRecordingSilos_WritesEveryWorkersTrack_RecordedOnTheSiloItRanOn()
    {
        const int workers = 4;
        const int iterations = 2;
        var cancellationToken = TestContext.Current.CancellationToken;
        var ports = SiloCluster.FreeLoopbackPorts(4);
        var clusterId = $"timeline-{Guid.NewGuid():N}"[..20];
        string[] common = ["--cluster-id", clusterId, "--concurrent-workers", "1", "--torch-threads", "1", "--record-timeline"];
        await using var primary = SiloProcess.Start("primary", ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", .. common]);
        await primary.WaitForReadyAsync(s_quick, cancellationToken);
        await using var secondary = SiloProcess.Start("secondary", ["--silo-port", $"{ports[2]}", "--gateway-port", $"{ports[3]}", "--primary-silo-port", $"{ports[0]}", .. common]);
        await secondary.WaitForReadyAsync(s_quick, cancellationToken);
        var path = Path.Combine(_out, "timeline.json");

        var (exit, output, error) = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), null, cancellationToken,
            "run", "--cluster", $"localhost:{ports[1]},{ports[3]}", "--cluster-id", clusterId,
            "--workers", $"{workers}", "--iterations", $"{iterations}", "--batch", "8", "--synthetic-train", "256", "--synthetic-test", "32",
            "--persistence", "off", "--out", Path.Combine(_out, "run"), "--quiet", "--timeline", path);

        Assert.True(exit == 0, $"run exited {exit}: {CliProcess.Tail(error)}{Environment.NewLine}{output}{Environment.NewLine}{primary.Describe()}{Environment.NewLine}{secondary.Describe()}");
        var timeline = TimelineDocument.Load(path);
        Assert.Equal(Enumerable.Range(0, workers), timeline.WorkerTracks.Select(t => t.Rank!.Value));
        Assert.Equal(iterations * 2 * (workers - 1) * workers, timeline.StepEvents.Count());
        Assert.Equal(iterations, timeline.EventsOn(TimelineTrack.Coordinator).Count(e => e.Category == RingSpans.Iteration));
        string[] silos = [$"S127.0.0.1:{ports[0]}:", $"S127.0.0.1:{ports[2]}:"];
        foreach (var track in timeline.WorkerTracks)
        {
            var ranOn = timeline.EventsOn(track).Where(e => e.Category == RingSpans.WorkerIteration).Select(e => e.GetString(RingAttributes.Silo)).ToList();
            Assert.Equal(iterations, ranOn.Count);
            Assert.All(ranOn, silo => Assert.Contains(silos, prefix => silo!.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }
}
