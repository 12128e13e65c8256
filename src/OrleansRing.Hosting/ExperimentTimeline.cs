using OrleansRing.Abstractions;
using OrleansRing.Telemetry;

namespace OrleansRing.Hosting;

/// <summary>
/// An ended experiment's timeline, from its coordinator (which gathered the silos' recordings): for <c>run --timeline</c>
/// and for a sweep that wants one timeline per experiment. The silos must record (<see cref="TelemetryOptions.RecordTimeline"/>).
/// </summary>
public static class ExperimentTimeline
{
    public static async Task<TimelineDocument> GetAsync(IGrainFactory grains, string experimentId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(experimentId);
        var bytes = await grains.GetGrain<IRingCoordinatorGrain>(experimentId).GetTimelineAsync().ConfigureAwait(false);
        return TimelineDocument.Parse(bytes, $"the timeline of experiment {experimentId}");
    }

    /// <summary>Writes the experiment's timeline to <paramref name="path"/> as trace-event JSON and returns it.</summary>
    public static async Task<TimelineDocument> WriteAsync(IGrainFactory grains, string experimentId, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var timeline = await GetAsync(grains, experimentId).ConfigureAwait(false);
        timeline.Save(path);
        return timeline;
    }

    /// <summary>
    /// As <see cref="WriteAsync"/>, but a timeline that cannot be had (the experiment never started, the file cannot be
    /// written, a fragment is unreadable) is returned as a one-line reason instead of thrown: a timeline is an aid,
    /// never a reason to fail a sweep.
    /// </summary>
    public static async Task<string?> TryWriteAsync(IGrainFactory grains, string experimentId, string path)
    {
        try
        {
            await WriteAsync(grains, experimentId, path).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or TimelineFormatException)
        {
            return ex.Message.ReplaceLineEndings(" ").Trim();
        }
    }
}
