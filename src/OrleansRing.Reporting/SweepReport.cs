using OrleansRing.Results;
using OrleansRing.Sweeps;

namespace OrleansRing.Reporting;

/// <summary>
/// `orleansring report DIR`: figures (PNG and SVG), claims.md and report.html in DIR/report, from the results
/// folder alone. Safe to run while the sweep is still going: it draws what has finished.
/// </summary>
public static class SweepReport
{
    public const string HtmlFileName = "report.html";
    public const string ClaimsFileName = "claims.md";

    /// <summary>Where `sweep run --timelines` leaves each experiment's timeline (Chrome trace-event JSON).</summary>
    public const string TimelineFileName = "timeline.json";

    private const int MaxTimelinesInPage = 6;

    /// <exception cref="InvalidDataException">The folder holds no sweep or has unreadable results.</exception>
    public static ReportFiles Write(SweepFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var set = SweepResultSet.Load(folder);
        var output = folder.ReportFolder;
        Directory.CreateDirectory(output);
        var figures = new List<FigureFile>();
        figures.AddRange(TrainingCurves.Draw(set, output));
        var grid = AccuracyGrid.Build(set);
        if (grid is not null && set.Experiments.Any(e => e.Accuracy is not null))
        {
            figures.Add(AccuracyHeatmap.Draw(grid, output));
            if (WorstCaseChart.Draw(grid, output) is { } worst)
            {
                figures.Add(worst);
            }
        }
        // Timelines recorded with `sweep run --timelines`: one picture per experiment, the first few in the page.
        var timelines = new List<FigureFile>();
        foreach (var experiment in set.Experiments)
        {
            var path = Path.Combine(folder.ExperimentFolder(experiment.Record.Id), TimelineFileName);
            if (File.Exists(path))
            {
                var label = set.AxisKeys.Count == 0 ? experiment.Record.Id : string.Join(" ", set.AxisKeys.Select(k => $"{k}={experiment.Setting(k)}"));
                timelines.Add(TimelineChart.Draw(Telemetry.TimelineDocument.Load(path), Path.Combine(output, "timelines"), experiment.Record.Id, $"Timeline — {label}"));
            }
        }
        figures.AddRange(timelines.Take(MaxTimelinesInPage));
        var claims = PaperClaims.Evaluate(set);
        var claimsPath = Path.Combine(output, ClaimsFileName);
        AtomicFile.WriteAllText(claimsPath, PaperClaims.Markdown(claims));
        var htmlPath = Path.Combine(output, HtmlFileName);
        AtomicFile.WriteAllText(htmlPath, HtmlReport.Render(set, grid, claims, figures));
        return new ReportFiles(htmlPath, claimsPath, figures);
    }
}
