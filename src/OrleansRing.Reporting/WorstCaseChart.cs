using System.Globalization;
using ScottPlot;

namespace OrleansRing.Reporting;

/// <summary>For each column of the grid (each defence, or model and worker count), the worst final accuracy over the attacks.</summary>
internal static class WorstCaseChart
{
    public static FigureFile? Draw(AccuracyGrid grid, string folder)
    {
        if (grid.RowKey != "attack")
        {
            return null;
        }
        var attacks = grid.Rows.Select((name, index) => (name, index)).Where(r => r.name != "none").ToList();
        if (attacks.Count == 0)
        {
            return null;
        }
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var c = 0; c < grid.Columns.Count; c++)
        {
            var values = attacks.Select(a => grid.Accuracy[a.index, c]).OfType<double>().ToList();
            if (values.Count == 0)
            {
                continue;
            }
            var worst = values.Min();
            bars.Add(new Bar { Position = c, Value = worst * 100, Label = (worst * 100).ToString("0.0", CultureInfo.InvariantCulture) });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, grid.Columns.Count).Select(c => (double)c)], [.. grid.Columns]);
        plot.Axes.Margins(bottom: 0);
        var title = grid.ColumnKeys.Count == 0 ? "Worst case over attacks" : $"Worst case over attacks, per {string.Join(", ", grid.ColumnKeys)}";
        plot.Title(title);
        plot.YLabel("lowest final test accuracy (%)");
        return FigureCanvas.Save(plot, folder, FigureCanvas.Stem("worst-case-over-attacks"), title);
    }
}
