using Microsoft.Extensions.Hosting;
using OrleansRing.Hosting;

namespace OrleansRing.Telemetry.Tests;

public sealed class TelemetryConfigurationTests
{
    [Theory]
    [InlineData(null, false, false, false)]
    [InlineData(null, true, true, false)]
    [InlineData("", true, true, false)]
    [InlineData("console", true, false, true)]
    [InlineData("otlp, console", false, true, true)]
    [InlineData("none", true, false, false)]
    public void Exporters_FollowOpenTelemetrysVariables(string? value, bool endpointSet, bool otlp, bool console)
    {
        var exporters = TelemetryExporters.Parse(TelemetryOptions.TracesExporterVariable, value, endpointSet);

        Assert.Equal(new TelemetryExporters(otlp, console), exporters);
    }

    [Fact]
    public void UnknownExporter_IsAnErrorNamingTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => TelemetryExporters.Parse(TelemetryOptions.MetricsExporterVariable, "otlp,zipkin", endpointSet: true));

        Assert.Contains("OTEL_METRICS_EXPORTER", error.Message);
        Assert.Contains("'zipkin'", error.Message);
    }

    [Fact]
    public void NoEndpointNoFlag_RegistersNoExporter_AndFlagsOrEndpointDo()
    {
        var none = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var console = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var otlp = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var nothing = none.AddOrleansRingTelemetry();
        var consoleOnly = console.AddOrleansRingTelemetry(new TelemetryOptions { Console = true });
        var otlpBoth = otlp.AddOrleansRingTelemetry(new TelemetryOptions { OtlpEndpoint = "http://127.0.0.1:4318" });

        Assert.Equal((TelemetryExporters.None, TelemetryExporters.None), nothing);
        Assert.Equal((new TelemetryExporters(false, true), TelemetryExporters.None), consoleOnly);
        Assert.Equal((new TelemetryExporters(true, false), new TelemetryExporters(true, false)), otlpBoth);
        Assert.Equal("http://127.0.0.1:4318", otlp.Configuration[TelemetryOptions.OtlpEndpointVariable]);
    }

    [Theory]
    [InlineData("orleansring.ring.step", true)]
    [InlineData("IWorkerGrain/ReceiveChunk", true)]
    [InlineData("IRingCoordinatorGrain/Start", true)]
    [InlineData("IMembershipTableSystemTarget/ReadAll", false)]
    [InlineData("Orleans.Runtime.GrainDirectory", false)]
    public void Sampler_StartsTracesOnlyAtOrleansRingsOwnWork(string rootSpanName, bool sampled)
    {
        Assert.Equal(sampled, RingTraceSampler.IsOrleansRing(rootSpanName));
    }
}
