using System.Globalization;
using OrleansRing.Sweeps;
using Spectre.Console;

namespace OrleansRing.Cli.Output;

/// <summary>The sweep tables printed at the end of a run and by `sweep status`.</summary>
public static class SweepTables
{
    public static void PrintGrid(SweepDefinition sweep, IReadOnlyList<SweepExperimentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(records);
        var keys = sweep.AxisKeys.Count > 0 ? sweep.AxisKeys : ["id"];
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(sweep.Name));
        foreach (var key in keys)
        {
            table.AddColumn(Markup.Escape(key));
        }
        table.AddColumn("state").AddColumn(new TableColumn("final test accuracy").RightAligned()).AddColumn(new TableColumn("wall s").RightAligned());
        foreach (var (experiment, record) in sweep.Experiments.Zip(records))
        {
            var cells = keys.Select(k => k == "id" ? experiment.Id : experiment.Value(k) ?? "").Select(Markup.Escape).ToList();
            cells.Add(State(record));
            cells.Add(record.FinalTestAccuracy is { } a ? a.ToString("P2", CultureInfo.InvariantCulture) : "");
            cells.Add(record.WallSeconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "");
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    public static void PrintState(SweepStateDocument state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var counts = state.Experiments.GroupBy(e => e.State).ToDictionary(g => g.Key, g => g.Count());
        int Count(SweepExperimentState s) => counts.GetValueOrDefault(s);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Sweep {state.Name}: {state.Experiments.Count} experiments; {Count(SweepExperimentState.Completed)} completed, {Count(SweepExperimentState.Diverged)} diverged, {Count(SweepExperimentState.Failed)} failed, {Count(SweepExperimentState.Running)} running (as of {state.UpdatedAt:u}), {Count(SweepExperimentState.Pending)} pending.")));
        var table = new Table().Border(TableBorder.Rounded);
        var keys = state.AxisKeys.Count > 0 ? state.AxisKeys : ["id"];
        foreach (var key in keys)
        {
            table.AddColumn(Markup.Escape(key));
        }
        table.AddColumn("state").AddColumn(new TableColumn("final test accuracy").RightAligned()).AddColumn("error");
        foreach (var record in state.Experiments)
        {
            var cells = keys.Select(k => k == "id" ? record.Id : record.Settings.GetValueOrDefault(k) ?? "").Select(Markup.Escape).ToList();
            cells.Add(State(record));
            cells.Add(record.FinalTestAccuracy is { } a ? a.ToString("P2", CultureInfo.InvariantCulture) : "");
            cells.Add(Markup.Escape(record.Error ?? ""));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    private static string State(SweepExperimentRecord record) => record.State switch
    {
        SweepExperimentState.Completed => "[green]completed[/]",
        SweepExperimentState.Diverged => "[yellow]diverged[/]",
        SweepExperimentState.Failed => "[red]failed[/]",
        SweepExperimentState.Running => "[blue]running[/]",
        _ => "pending",
    };
}
