namespace OrleansRing.Reporting;

/// <summary>
/// Final test accuracy arranged as rows (the attack axis, or the first axis) by columns (every combination of the
/// other axes but seeds); seeds are averaged. The heatmap, the worst-case chart and the claims read it.
/// </summary>
public sealed class AccuracyGrid
{
    private static readonly string[] s_averagedKeys = ["seed", "data-seed", "attacker-seed"];

    private AccuracyGrid(string rowKey, IReadOnlyList<string> rows, IReadOnlyList<string> columnKeys, IReadOnlyList<string> columns, double?[,] accuracy, bool[,] diverged)
    {
        RowKey = rowKey;
        Rows = rows;
        ColumnKeys = columnKeys;
        Columns = columns;
        Accuracy = accuracy;
        Diverged = diverged;
    }

    public string RowKey { get; }

    public IReadOnlyList<string> Rows { get; }

    public IReadOnlyList<string> ColumnKeys { get; }

    /// <summary>Each column's label: the other axes' values, e.g. "paper-cnn 8".</summary>
    public IReadOnlyList<string> Columns { get; }

#pragma warning disable CA1814 // A rectangular table is what this is.
    public double?[,] Accuracy { get; }

    /// <summary>At least one run of the cell diverged.</summary>
    public bool[,] Diverged { get; }
#pragma warning restore CA1814

    public static AccuracyGrid? Build(SweepResultSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var axes = set.AxisKeys.Where(k => !s_averagedKeys.Contains(k)).ToList();
        if (axes.Count == 0)
        {
            return null;
        }
        var rowKey = axes.Contains("attack") ? "attack" : axes[0];
        var columnKeys = axes.Where(k => k != rowKey).ToList();
        var rows = set.Values(rowKey);
        string Column(ReportExperiment e) => columnKeys.Count == 0 ? "all" : string.Join(" ", columnKeys.Select(k => e.Setting(k)));
        var columns = set.Experiments.Select(Column).Distinct().ToList();
        var accuracy = new double?[rows.Count, columns.Count];
        var diverged = new bool[rows.Count, columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = set.Experiments.Where(e => e.Setting(rowKey) == rows[r] && Column(e) == columns[c]).ToList();
                var values = cell.Select(e => e.Accuracy).OfType<double>().ToList();
                accuracy[r, c] = values.Count > 0 ? values.Average() : null;
                diverged[r, c] = cell.Any(e => e.Record.State == Sweeps.SweepExperimentState.Diverged);
            }
        }
        return new AccuracyGrid(rowKey, rows, columnKeys, columns, accuracy, diverged);
    }

    public double? At(string row, string column)
    {
        var r = Rows.ToList().IndexOf(row);
        var c = Columns.ToList().IndexOf(column);
        return r < 0 || c < 0 ? null : Accuracy[r, c];
    }
}
