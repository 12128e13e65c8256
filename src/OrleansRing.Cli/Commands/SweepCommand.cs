using System.CommandLine;
using System.Globalization;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Hosting;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring sweep run|status`: a grid of experiments from one YAML file, resumable.</summary>
public static class SweepCommand
{
    public static Command Create() => new("sweep", "Run a grid of experiments described in one YAML file (see sweeps/ for presets).")
    {
        CreateRun(),
        CreateStatus(),
    };

    private static Command CreateRun()
    {
        var file = new Argument<string>("FILE") { Description = "The sweep file (YAML: name, base, axes)." };
        var outDir = new Option<string?>("--out") { Description = "Results folder (default: runs/<sweep name>). Rerunning into the same folder skips finished experiments." };
        var maxParallel = new Option<int>("--max-parallel") { Description = "Experiments running at once (default: the cluster's worker slots / workers per experiment, at least 1)." };
        var data = new Option<string?>("--data") { Description = "Replace the file's data: a CIFAR-10 binary folder or .tar.gz, or 'synthetic'." };
        var set = new Option<string[]>("--set") { Description = "Replace a parameter, KEY=VALUE (repeatable), e.g. --set epochs=1.", AllowMultipleArgumentsPerToken = false };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Run failed experiments again from scratch (the cluster forgets the failed attempt) instead of keeping their failure." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file against the cluster and list the grid; run nothing." };
        var timelines = new Option<bool>("--timelines") { Description = "Record each experiment's timeline (experiments/<id>/timeline.json, drawn in the report); with --cluster the silos must run with --record-timeline." };
        var noReport = new Option<bool>("--no-report") { Description = "Do not draw the report's figures at the end." };
        var quiet = new Option<bool>("--quiet") { Description = "No live display; one line per finished experiment." };
        var concurrentWorkers = new Option<int>("--concurrent-workers") { Description = "Embedded silo: workers computing at once (default: one per core)." };
        var torchThreads = new Option<int>("--torch-threads") { Description = "Embedded silo: TorchSharp intra-op threads (default: 1 per concurrent worker)." };
        var cluster = new ClusterOptions();
        var server = new ServerOptions();
        var command = new Command("run", "Run every experiment of a sweep file (embedded in-process silo by default, --cluster for running silos, --server for a host's HTTP API); rerun to resume.")
        {
            file, outDir, maxParallel, data, set, retryFailed, dryRun, timelines, noReport, quiet, concurrentWorkers, torchThreads,
        };
        cluster.AddTo(command);
        server.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var localOnly = new Option[] { outDir, maxParallel, data, set, dryRun, timelines, noReport, concurrentWorkers, torchThreads }.Any(o => parse.GetResult(o) is { Implicit: false }) || cluster.AnyGiven(parse)
                ? "--cluster, --chunk-store, --plugins, --out, --data, --set, --dry-run, --max-parallel, --timelines, --no-report and the embedded silo's options"
                : null;
            if (await server.TryRunAsync(parse, "sweep run", client => RemoteSweep.RunAsync(client, parse.GetValue(file)!, parse.GetValue(retryFailed), cancellationToken), localOnly) is { } exitCode)
            {
                return exitCode;
            }
            SweepDefinition sweep;
            ClusterChoice where;
            try
            {
                where = cluster.Read(parse);
                if (parse.GetValue(maxParallel) < 0 || parse.GetValue(concurrentWorkers) < 0 || parse.GetValue(torchThreads) < 0)
                {
                    throw new CommandLineException("--max-parallel, --concurrent-workers and --torch-threads must be ≥ 1 when given.");
                }
                sweep = SweepFileParser.ParseFile(parse.GetValue(file)!, new SweepOverrides { Values = Overrides(parse.GetValue(data), parse.GetValue(set) ?? []) });
            }
            catch (CommandLineException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring sweep run: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            catch (SweepFileException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return OrleansRingCommandLine.BadInput;
            }
            var compute = (Grains.Compute.TrainingComputeOptions o) =>
            {
                if (parse.GetValue(concurrentWorkers) is > 0 and var c)
                {
                    o.ConcurrentWorkers = c;
                }
                if (parse.GetValue(torchThreads) is > 0 and var t)
                {
                    o.IntraOpThreads = t;
                }
            };
            var folder = new SweepFolder(parse.GetValue(outDir) ?? Path.Combine("runs", sweep.Name));
            return await RunAsync(sweep, folder, where, compute, parse.GetValue(maxParallel), parse.GetValue(retryFailed), parse.GetValue(dryRun), parse.GetValue(timelines), !parse.GetValue(noReport), parse.GetValue(quiet), cancellationToken);
        });
        return command;
    }

    private static Dictionary<string, string> Overrides(string? data, string[] sets)
    {
        var values = new Dictionary<string, string>();
        foreach (var pair in sets)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandLineException($"--set: '{pair}' is not KEY=VALUE.");
            }
            values[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }
        if (data is not null)
        {
            values["data"] = data;
        }
        return values;
    }

    private static async Task<int> RunAsync(SweepDefinition sweep, SweepFolder folder, ClusterChoice where, Action<Grains.Compute.TrainingComputeOptions> compute, int maxParallel, bool retryFailed, bool dryRun, bool timelines, bool report, bool quiet, CancellationToken cancellationToken)
    {
        IAsyncDisposable connection;
        IClusterClient client;
        try
        {
            (connection, client) = await where.ConnectAsync(compute, new TelemetryOptions { RecordTimeline = timelines }, cancellationToken);
        }
        catch (ClusterConnectionException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring sweep run: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
        }
        await using var cluster = connection;
        try
        {
            await SweepValidator.ThrowIfInvalidAsync(client, sweep, cancellationToken);
        }
        catch (SweepFileException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return OrleansRingCommandLine.BadInput;
        }
        var capacity = await client.GetGrain<IClusterCapacityGrain>(0).GetCapacityAsync();
        var parallel = maxParallel > 0 ? maxParallel : capacity.ExperimentsAtOnce(sweep.Experiments.Max(e => e.Config.Workers));
        AnsiConsole.MarkupLine(Markup.Escape($"Sweep {sweep.Name}: {sweep.Experiments.Count} experiments ({string.Join(" × ", sweep.AxisKeys.Select(k => $"{k} {sweep.Experiments.Select(e => e.Value(k)).Distinct().Count()}"))}), {parallel} at a time on {capacity.ActiveSilos} silo(s) with {capacity.WorkerSlots} worker slots; results in {folder.Root}"));
        if (dryRun)
        {
            SweepTables.PrintGrid(sweep, sweep.Experiments.Select(folder.Inspect).ToList());
            return OrleansRingCommandLine.Success;
        }
        var runner = new SweepRunner(client, folder)
        {
            MaxParallel = parallel,
            RetryFailed = retryFailed,
            OnFinished = timelines ? (experiment, experimentFolder, _) => WriteTimelineAsync(client, experiment.Id, Path.Combine(experimentFolder, SweepReport.TimelineFileName)) : null,
            Driver = new ExperimentDriver(client)
            {
                OnUnreachable = (id, ex) => Console.Error.WriteLine($"orleansring: coordinator of {id} unreachable ({ex.GetType().Name}: {ex.Message}); retrying"),
            },
        };
        SweepOutcome outcome;
        try
        {
            outcome = quiet || !AnsiConsole.Profile.Capabilities.Interactive
                ? await runner.RunAsync(sweep, new LineProgress(), cancellationToken)
                : await SweepLiveDisplay.RunAsync(display => runner.RunAsync(sweep, display, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"orleansring sweep run: the results folder {folder.Root}: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"orleansring sweep run: stopped; rerun the same command to finish the sweep (finished experiments are kept in {folder.Root}).");
            return OrleansRingCommandLine.RunFailed;
        }
        SweepTables.PrintGrid(sweep, outcome.Experiments);
        AnsiConsole.MarkupLine(Markup.Escape($"{outcome.Completed} completed, {outcome.Diverged} diverged, {outcome.Failed} failed ({outcome.Skipped} already finished before this run). Summary: {folder.SummaryPath}"));
        if (report)
        {
            var written = SweepReport.Write(folder);
            AnsiConsole.MarkupLine(Markup.Escape($"Report: {written.HtmlPath} ({written.Figures.Count} figures in {Path.GetDirectoryName(written.HtmlPath)})"));
        }
        return outcome.Failed > 0 || outcome.Unfinished > 0 ? OrleansRingCommandLine.RunFailed : OrleansRingCommandLine.Success;
    }

    private static async Task WriteTimelineAsync(IGrainFactory grains, string experimentId, string path)
    {
        if (await ExperimentTimeline.TryWriteAsync(grains, experimentId, path) is { } error)
        {
            await Console.Error.WriteLineAsync($"orleansring sweep run: no timeline for {experimentId}: {error}");
        }
    }

    private static Command CreateStatus()
    {
        var dir = new Argument<string>("DIR") { Description = "A sweep's results folder (runs/<sweep name>), or with --server the sweep's id." };
        var server = new ServerOptions();
        var command = new Command("status", "Where a sweep stands, read from its results folder (or a host's HTTP API): done, running, failed, pending.") { dir };
        server.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await server.TryRunAsync(parse, "sweep status", client => RemoteSweep.StatusAsync(client, parse.GetValue(dir)!, cancellationToken)) is { } exitCode)
            {
                return exitCode;
            }
            var folder = new SweepFolder(parse.GetValue(dir)!);
            SweepStateDocument? state;
            try
            {
                state = folder.TryLoadState();
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring sweep status: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            if (state is null)
            {
                await Console.Error.WriteLineAsync($"orleansring sweep status: {folder.Root} holds no sweep (no {SweepFolder.StateFileName}).");
                return OrleansRingCommandLine.BadInput;
            }
            SweepTables.PrintState(state);
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    /// <summary>Redirected output: a line whenever an experiment finishes.</summary>
    private sealed class LineProgress : IProgress<SweepProgress>
    {
        private int _done = -1;

        public void Report(SweepProgress value)
        {
            if (Interlocked.Exchange(ref _done, value.Done) != value.Done)
            {
                var eta = value.Remaining is { } r ? $", about {r:hh\\:mm\\:ss} left" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep: {value.Done}/{value.Total} done ({value.Completed} completed, {value.Diverged} diverged, {value.Failed} failed, {value.Skipped} skipped), {value.Running.Count} running{eta}"));
            }
        }
    }
}
