namespace OrleansRing.Hosting;

/// <summary>The exporters one signal (traces or metrics) gets, as resolved by <see cref="OrleansRingTelemetryExtensions"/>.</summary>
public sealed record TelemetryExporters(bool Otlp, bool Console)
{
    public static TelemetryExporters None { get; } = new(false, false);

    public bool Any => Otlp || Console;

    /// <summary>
    /// Reads an <c>OTEL_*_EXPORTER</c> value ("otlp", "console", "none", comma-separated); null or empty means OTLP exactly
    /// when an endpoint is configured. An unknown name is an <see cref="ArgumentException"/> naming the variable.
    /// </summary>
    public static TelemetryExporters Parse(string variable, string? value, bool endpointSet)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return new TelemetryExporters(endpointSet, false);
        }
        var otlp = false;
        var console = false;
        foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "otlp":
                    otlp = true;
                    break;
                case "console":
                    console = true;
                    break;
                case "none":
                    break;
                default:
                    throw new ArgumentException($"{variable}: exporter '{name}' is not supported; use otlp, console or none.", variable);
            }
        }
        return new TelemetryExporters(otlp, console);
    }
}
