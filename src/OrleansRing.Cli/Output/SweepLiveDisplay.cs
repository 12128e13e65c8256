using System.Globalization;
using OrleansRing.Sweeps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansRing.Cli.Output;

/// <summary>A live terminal panel: done / running / failed with an ETA, and each running experiment's progress.</summary>
public sealed class SweepLiveDisplay : IProgress<SweepProgress>
{
    private readonly LiveDisplayContext _context;

    private SweepLiveDisplay(LiveDisplayContext context) => _context = context;

    public static async Task<SweepOutcome> RunAsync(Func<IProgress<SweepProgress>, Task<SweepOutcome>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SweepOutcome? outcome = null;
        await AnsiConsole.Live(new Text("starting sweep…")).AutoClear(false).StartAsync(async context =>
        {
            outcome = await run(new SweepLiveDisplay(context)).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return outcome!;
    }

    public void Report(SweepProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _context.UpdateTarget(Render(value));
    }

    private static IRenderable Render(SweepProgress value)
    {
        var eta = value.Remaining is { } r ? r.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "estimating";
        var header = new Markup(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{value.Done}/{value.Total} done — {value.Completed} completed, {value.Diverged} diverged, {value.Failed} failed, {value.Skipped} skipped; {value.Running.Count} running, {value.Pending} pending; elapsed {value.Elapsed:hh\\:mm\\:ss}, ETA {eta}")));
        var table = new Table().Border(TableBorder.Simple).AddColumn("running").AddColumn(new TableColumn("iterations").RightAligned()).AddColumn(new TableColumn("loss").RightAligned());
        foreach (var running in value.Running)
        {
            table.AddRow(
                Markup.Escape(running.Label),
                running.TotalIterations > 0 ? $"{running.IterationsCompleted}/{running.TotalIterations}" : "starting",
                running.TrainLoss is { } loss ? loss.ToString("0.000", CultureInfo.InvariantCulture) : "");
        }
        return new Rows(header, table);
    }
}
