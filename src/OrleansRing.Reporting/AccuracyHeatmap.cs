using System.Globalization;
using ScottPlot;

namespace OrleansRing.Reporting;

/// <summary>Final test accuracy as a heatmap: attacks down, the other axes (e.g. defences) across.</summary>
internal static class AccuracyHeatmap
{
    public static FigureFile Draw(AccuracyGrid grid, string folder)
    {
        var plot = new Plot();
        var rows = grid.Rows.Count;
        var columns = grid.Columns.Count;
        // Cells drawn as rectangles: exact placement, and a missing cell simply stays empty.
        var colormap = new ScottPlot.Colormaps.Viridis();
        var known = Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, columns).Select(c => grid.Accuracy[r, c])).OfType<double>().ToList();
        var low = known.Count > 0 ? known.Min() : 0;
        var high = known.Count > 0 ? known.Max() : 1;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var y = rows - 1 - r;
                var fraction = grid.Accuracy[r, c] is { } a && high > low ? (a - low) / (high - low) : 1;
                if (grid.Accuracy[r, c] is not null)
                {
                    var cell = plot.Add.Rectangle(c - 0.5, c + 0.5, y - 0.5, y + 0.5);
                    cell.FillColor = colormap.GetColor(fraction);
                    cell.LineWidth = 0;
                }
                var text = grid.Accuracy[r, c] is { } value ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) : "—";
                var label = plot.Add.Text(grid.Diverged[r, c] ? text + " (diverged)" : text, c, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = fraction > 0.6 ? Colors.Black : Colors.White;
                label.LabelFontSize = 14;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, columns).Select(c => (double)c)], [.. grid.Columns]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r))], [.. grid.Rows]);
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();
        var across = grid.ColumnKeys.Count == 0 ? "" : " × " + string.Join(", ", grid.ColumnKeys);
        var title = $"Final test accuracy: {grid.RowKey}{across}";
        plot.Title(title);
        plot.XLabel(grid.ColumnKeys.Count == 0 ? "" : string.Join(", ", grid.ColumnKeys));
        plot.YLabel(grid.RowKey);
        return FigureCanvas.Save(plot, folder, FigureCanvas.Stem("heatmap-final-accuracy"), title);
    }
}
