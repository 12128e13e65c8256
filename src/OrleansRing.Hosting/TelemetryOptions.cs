namespace OrleansRing.Hosting;

/// <summary>
/// What a silo or client exports and records (section <see cref="SectionName"/>; environment
/// <c>ORLEANSRING__Telemetry__RecordTimeline=true</c>). Exporters otherwise follow OpenTelemetry's own variables:
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>), or as
/// <c>OTEL_TRACES_EXPORTER</c> / <c>OTEL_METRICS_EXPORTER</c> say (otlp, console, none); nothing by default.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OrleansRing:Telemetry";

    public const string RecordTimelineKey = SectionName + ":" + nameof(RecordTimeline);

    public const string ConsoleKey = SectionName + ":" + nameof(Console);

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public const string TracesExporterVariable = "OTEL_TRACES_EXPORTER";

    public const string MetricsExporterVariable = "OTEL_METRICS_EXPORTER";

    public const string SdkDisabledVariable = "OTEL_SDK_DISABLED";

    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>The service name exported when <see cref="ServiceNameVariable"/> is not set.</summary>
    public const string DefaultServiceName = "orleansring";

    /// <summary>A silo keeps its ring spans for the experiment timeline (<c>run --timeline</c>); off, it creates no span for it.</summary>
    public bool RecordTimeline { get; set; }

    /// <summary>Also write finished spans to the console (the CLI's <c>--trace-console</c>).</summary>
    public bool Console { get; set; }

    /// <summary>Sets <see cref="OtlpEndpointVariable"/> for this host (e.g. <c>http://127.0.0.1:4318</c>); null leaves the environment's.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Sets <see cref="OtlpProtocolVariable"/> for this host: <c>grpc</c> or <c>http/protobuf</c>; null leaves the environment's (the SDK's default is grpc).</summary>
    public string? OtlpProtocol { get; set; }
}
