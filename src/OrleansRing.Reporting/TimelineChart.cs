using OrleansRing.Telemetry;
using ScottPlot;

namespace OrleansRing.Reporting;

/// <summary>
/// A timeline as a picture: one row per worker, each ring step a bar (scatter-reduce and all-gather in two
/// colours, compute in grey), so stragglers and the ring's pipeline show at a glance.
/// </summary>
public static class TimelineChart
{
    public static FigureFile Draw(TimelineDocument timeline, string folder, string fileStem, string title)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var plot = new Plot();
        var tracks = timeline.WorkerTracks.OrderBy(t => t.Rank).ToList();
        var origin = timeline.Events.Count > 0 ? timeline.Events.Min(e => e.StartMicroseconds) : 0;
        foreach (var track in tracks)
        {
            var y = -(double)track.Rank!.Value;
            foreach (var span in timeline.EventsOn(track).Where(e => e.Category is RingSpans.Step or RingSpans.Compute))
            {
                var start = (span.StartMicroseconds - origin) / 1000.0;
                var end = (span.EndMicroseconds - origin) / 1000.0;
                var bar = plot.Add.Rectangle(start, Math.Max(end, start + 0.01), y - 0.35, y + 0.35);
                bar.LineWidth = 0;
                bar.FillColor = span.Category == RingSpans.Compute
                    ? Colors.Gray.WithAlpha(0.6)
                    : span.GetString(RingAttributes.Phase) is { } phase && phase.Contains("gather", StringComparison.OrdinalIgnoreCase)
                        ? Colors.DarkOrange
                        : Colors.SteelBlue;
            }
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. tracks.Select(t => -(double)t.Rank!.Value)], [.. tracks.Select(t => t.Name)]);
        plot.Title($"{title}\nblue: scatter-reduce step, orange: all-gather step, grey: compute");
        plot.XLabel("milliseconds since the first span");
        return FigureCanvas.Save(plot, folder, fileStem, title);
    }
}
