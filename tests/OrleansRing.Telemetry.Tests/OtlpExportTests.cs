using OrleansRing.Abstractions;
using OrleansRing.Hosting;

namespace OrleansRing.Telemetry.Tests;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpHttpExporter_PostsTheRingsSpansAndMetrics_ToTheConfiguredEndpoint()
    {
        const int n = 3;
        const int iterations = 2;
        using var receiver = new OtlpReceiver();
        var id = $"otlp-{Guid.NewGuid():N}";

        // Configured as the environment would be (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL), for this host only.
        await using (var cluster = await EmbeddedCluster.StartAsync(
            telemetry: new TelemetryOptions { OtlpEndpoint = receiver.Endpoint, OtlpProtocol = "http/protobuf" },
            cancellationToken: TestContext.Current.CancellationToken))
        {
            var ring = Enumerable.Range(0, n).Select(r => cluster.Client.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
            await Task.WhenAll(ring.Select((w, r) => w.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment { ExperimentId = id, Rank = r, Workers = n, Floats = 300 })));
            for (var i = 0; i < iterations; i++)
            {
                await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(i)));
            }
            await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
        } // Stopping the host flushes the exporters.

        var requests = receiver.Requests.ToList();
        var traces = requests.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, r => Assert.Equal("application/x-protobuf", r.ContentType));
        var spanNames = traces.SelectMany(r => OtlpProtobuf.SpanNames(r.Body)).ToList();
        Assert.Equal(iterations * 2 * (n - 1) * n, spanNames.Count(s => s == RingSpans.Step));
        Assert.Equal(iterations * n, spanNames.Count(s => s == RingSpans.WorkerIteration));
        Assert.Contains(spanNames, s => s.StartsWith("IWorkerGrain/", StringComparison.Ordinal)); // Orleans' own grain-call spans
        var metricNames = requests.Where(r => r.Path == "/v1/metrics").SelectMany(r => OtlpProtobuf.MetricNames(r.Body)).ToHashSet();
        Assert.Contains(RingMetrics.StepDurationName, metricNames);
        Assert.Contains(RingMetrics.BytesSentName, metricNames);
    }
}
