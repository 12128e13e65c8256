using OpenTelemetry.Trace;
using OrleansRing.Abstractions;

namespace OrleansRing.Hosting;

/// <summary>
/// Samples every trace that starts with OrleansRing's own work (an <c>orleansring.*</c> span or a call to one of
/// OrleansRing's grain interfaces) and, within a trace, follows the parent. Orleans routes calls to interfaces in
/// namespaces starting with "Orleans" to its Runtime source, which OrleansRing's own (<c>OrleansRing.Abstractions</c>)
/// match, so that source must be on; this drops the traces its background work (membership, directory) starts.
/// </summary>
public sealed class RingTraceSampler : Sampler
{
    private static readonly HashSet<string> s_grainInterfaces =
        [.. typeof(IWorkerGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).Select(t => t.Name)];

    private static readonly SamplingResult s_sample = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult s_drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default)
        {
            return (parent.TraceFlags & System.Diagnostics.ActivityTraceFlags.Recorded) != 0 ? s_sample : s_drop;
        }
        return IsOrleansRing(samplingParameters.Name) ? s_sample : s_drop;
    }

    /// <summary>An OrleansRing span, or an Orleans grain-call span ("IWorkerGrain/RunIteration") of an OrleansRing interface.</summary>
    public static bool IsOrleansRing(string spanName)
    {
        ArgumentNullException.ThrowIfNull(spanName);
        if (spanName.StartsWith("orleansring.", StringComparison.Ordinal))
        {
            return true;
        }
        var slash = spanName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && s_grainInterfaces.Contains(spanName[..slash]);
    }
}
