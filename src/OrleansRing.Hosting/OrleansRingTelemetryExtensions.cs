using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansRing.Telemetry;

namespace OrleansRing.Hosting;

public static class OrleansRingTelemetryExtensions
{
    /// <summary>
    /// Orleans' source of grain calls to interfaces in namespaces starting with "Orleans", which includes
    /// OrleansRing.Abstractions: the spans of calls to IWorkerGrain and IRingCoordinatorGrain come from here.
    /// </summary>
    public const string OrleansRuntimeSource = "Microsoft.Orleans.Runtime";

    /// <summary>Orleans' source of other application grain calls.</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Sets up OpenTelemetry for an OrleansRing silo or client host by configuration, as OpenTelemetry's environment
    /// conventions say (see <see cref="TelemetryOptions"/>): traces of the OrleansRing source and Orleans' application
    /// grain calls, metrics of the OrleansRing and Orleans meters, exported by OTLP and/or the console. With no exporter
    /// configured it registers nothing, so no listener exists and the ring's spans are never created.
    /// <paramref name="overrides"/> (flags) win over configuration. Returns the exporters chosen for traces and metrics.
    /// </summary>
    public static (TelemetryExporters Traces, TelemetryExporters Metrics) AddOrleansRingTelemetry(this IHostApplicationBuilder builder, TelemetryOptions? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        ImportOpenTelemetryVariables(configuration);
        if (overrides is not null)
        {
            var values = new Dictionary<string, string?>();
            if (overrides.RecordTimeline)
            {
                values[TelemetryOptions.RecordTimelineKey] = "true";
            }
            if (overrides.Console)
            {
                values[TelemetryOptions.ConsoleKey] = "true";
            }
            if (overrides.OtlpEndpoint is { Length: > 0 } endpoint)
            {
                values[TelemetryOptions.OtlpEndpointVariable] = endpoint;
            }
            if (overrides.OtlpProtocol is { Length: > 0 } protocol)
            {
                values[TelemetryOptions.OtlpProtocolVariable] = protocol;
            }
            configuration.AddInMemoryCollection(values);
        }

        if (string.Equals(configuration[TelemetryOptions.SdkDisabledVariable], "true", StringComparison.OrdinalIgnoreCase))
        {
            return (TelemetryExporters.None, TelemetryExporters.None);
        }
        var endpointSet = !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.OtlpEndpointVariable]);
        var console = configuration.GetValue<bool>(TelemetryOptions.ConsoleKey);
        var traces = TelemetryExporters.Parse(TelemetryOptions.TracesExporterVariable, configuration[TelemetryOptions.TracesExporterVariable], endpointSet);
        traces = traces with { Console = traces.Console || console };
        var metrics = TelemetryExporters.Parse(TelemetryOptions.MetricsExporterVariable, configuration[TelemetryOptions.MetricsExporterVariable], endpointSet);
        if (!traces.Any && !metrics.Any)
        {
            return (traces, metrics);
        }

        var serviceNameSet = !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.ServiceNameVariable]);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            if (!serviceNameSet)
            {
                resource.AddService(TelemetryOptions.DefaultServiceName);
            }
        });
        if (traces.Any)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddOrleansRingInstrumentation();
                if (traces.Otlp)
                {
                    tracing.AddOtlpExporter();
                }
                if (traces.Console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }
        if (metrics.Any)
        {
            telemetry.WithMetrics(meters =>
            {
                meters.AddMeter(RingTelemetry.MeterName, OrleansMeter);
                if (metrics.Otlp)
                {
                    meters.AddOtlpExporter();
                }
                if (metrics.Console)
                {
                    meters.AddConsoleExporter();
                }
            });
        }
        return (traces, metrics);
    }

    /// <summary>
    /// The OrleansRing source and Orleans' grain-call sources, sampled by <see cref="RingTraceSampler"/>: what
    /// <see cref="AddOrleansRingTelemetry"/> traces, for a tracer provider built elsewhere (tests, another host).
    /// </summary>
    public static TracerProviderBuilder AddOrleansRingInstrumentation(this TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing
            .AddSource(RingTelemetry.SourceName, OrleansRuntimeSource, OrleansApplicationSource)
            .SetSampler(new RingTraceSampler());
    }

    /// <summary>
    /// Hosts built without defaults read no environment variables, but the OpenTelemetry SDK reads its settings from the
    /// host's configuration: copy every <c>OTEL_*</c> variable there, under its own name, unless already configured.
    /// </summary>
    private static void ImportOpenTelemetryVariables(IConfigurationManager configuration)
    {
        var missing = new Dictionary<string, string?>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("OTEL_", StringComparison.Ordinal) && configuration[name] is null)
            {
                missing[name] = variable.Value as string;
            }
        }
        if (missing.Count > 0)
        {
            configuration.AddInMemoryCollection(missing);
        }
    }
}
