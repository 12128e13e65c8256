using OrleansRing.Telemetry;

namespace OrleansRing.Cli.Tests;

public sealed class TelemetryOptionsTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-cli-telemetry-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task RunWithTimeline_WritesATraceEventFile_WithOneTrackPerWorker_AndABarPerStep()
    {
        var timelinePath = Path.Combine(_out, "timeline.json");

        var (exit, output, error) = await CliProcess.RunAsync(
            "run", "--workers", "3", "--iterations", "2", "--synthetic-train", "192", "--synthetic-test", "32", "--batch", "16",
            "--persistence", "off", "--out", _out, "--quiet", "--timeline", timelinePath);

        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains($"timeline: {timelinePath}", output);
        var timeline = TimelineDocument.Load(timelinePath);
        Assert.Equal([0, 1, 2], timeline.WorkerTracks.Select(t => t.Rank!.Value));
        Assert.Equal(2 * 2 * (3 - 1) * 3, timeline.StepEvents.Count());
        Assert.All(timeline.StepEvents, e => Assert.Equal(e.ThreadId, e.GetLong(RingAttributes.Rank)));
    }

    [Fact]
    public async Task UnknownTracesExporter_ExitsWithOneLineNamingTheVariable()
    {
        var (exit, _, error) = await CliProcess.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["OTEL_TRACES_EXPORTER"] = "zipkin" },
            "run", "--workers", "2", "--iterations", "1", "--out", _out, "--quiet");

        Assert.Equal(2, exit);
        var reason = error.Trim();
        Assert.Contains("OTEL_TRACES_EXPORTER", reason);
        Assert.Contains("'zipkin'", reason);
        Assert.DoesNotContain('\n', reason);
    }
}
