using System.Globalization;
using ScottPlot;

namespace OrleansRing.Reporting;

/// <summary>
/// The paper's Figures 3 and 4: for each model and worker count, training accuracy and training loss over
/// iterations, one line per setting of the other axes (none + each attack, in the paper's grid).
/// </summary>
internal static class TrainingCurves
{
    private static readonly string[] s_groupKeys = ["model", "workers"];

    public static IEnumerable<FigureFile> Draw(SweepResultSet set, string folder)
    {
        var groupKeys = s_groupKeys.Where(set.AxisKeys.Contains).ToList();
        var lineKeys = set.AxisKeys.Except(groupKeys).ToList();
        var groups = set.Experiments
            .Where(e => e.Result is { Iterations.Count: > 0 })
            .GroupBy(e => (Model: e.Result!.Config.Model.ToString(), e.Result.Config.Workers))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Workers);
        foreach (var group in groups)
        {
            var model = group.First().Setting("model") ?? group.Key.Model;
            var where = $"{model}, {group.Key.Workers} workers";
            yield return Curve(group.ToList(), lineKeys, folder, $"Training accuracy — {where}", FigureCanvas.Stem("training-accuracy", model, $"w{group.Key.Workers}"), "training accuracy", m => m.TrainAccuracy, logScale: false);
            yield return Curve(group.ToList(), lineKeys, folder, $"Training loss — {where}", FigureCanvas.Stem("training-loss", model, $"w{group.Key.Workers}"), "training loss", m => m.TrainLoss, logScale: true);
        }
    }

    private static FigureFile Curve(IReadOnlyList<ReportExperiment> experiments, IReadOnlyList<string> lineKeys, string folder, string title, string stem, string yLabel, Func<Abstractions.IterationMetrics, double> value, bool logScale)
    {
        var plot = new Plot();
        var all = experiments.SelectMany(e => e.Result!.Iterations.Select(value)).Where(v => double.IsFinite(v) && v > 0).ToList();
        // A diverging run's loss spans orders of magnitude; a log axis keeps the honest curves readable.
        var log = logScale && all.Count > 0 && all.Max() / all.Min() > 100;
        foreach (var experiment in experiments)
        {
            var points = experiment.Result!.Iterations.Where(m => double.IsFinite(value(m)) && (!log || value(m) > 0)).ToList();
            var xs = points.Select(m => (double)(m.Iteration + 1)).ToArray();
            var ys = points.Select(m => log ? Math.Log10(value(m)) : value(m)).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LineWidth = 2;
            var label = lineKeys.Count == 0 ? experiment.Record.Id : string.Join(" ", lineKeys.Select(k => experiment.Setting(k)));
            line.LegendText = experiment.Record.State == Sweeps.SweepExperimentState.Diverged ? $"{label} (diverged)" : label;
        }
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel(log ? $"{yLabel} (log scale)" : yLabel);
        if (log)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = y => Math.Pow(10, y).ToString("g3", CultureInfo.InvariantCulture),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
        }
        plot.ShowLegend(Alignment.UpperRight);
        return FigureCanvas.Save(plot, folder, stem, title);
    }
}
