using System.CommandLine;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Data;
using OrleansRing.Grains;
using OrleansRing.Hosting;
using OrleansRing.Results;
using OrleansRing.Storage;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring run`: one experiment on an embedded in-process silo, or with --cluster on running silos.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions();
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json and metrics.csv (default: runs/<experiment id>)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar; print only the summary." };
        var cluster = new ClusterOptions();
        var timeline = new Option<string?>("--timeline") { Description = "Write the run's timeline to FILE as Chrome trace-event JSON (one row per worker, each ring step a bar; open in Perfetto or chrome://tracing). With --cluster the silos must run with --record-timeline." };
        var traceConsole = new Option<bool>("--trace-console") { Description = "Write finished spans to the console. OTLP instead: set OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_PROTOCOL)." };
        var server = new ServerOptions();
        var command = new Command("run", "Train one experiment: N workers in a ring on an in-process silo (or, with --cluster, on running silos; or, with --server, through a host's HTTP API). With no options: a short synthetic run.");
        options.AddTo(command);
        command.Add(outDir);
        command.Add(quiet);
        cluster.AddTo(command);
        command.Add(timeline);
        command.Add(traceConsole);
        server.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var localOnly = options.AnyLocalOnlyGiven(parse) || cluster.AnyGiven(parse) || parse.GetResult(timeline) is { Implicit: false } || parse.GetValue(traceConsole)
                ? "--cluster, --chunk-store, --plugins, --timeline, --trace-console, --id and the embedded silo's options (--device, --concurrent-workers, --torch-threads)"
                : null;
            if (await server.TryRunAsync(parse, "run", client => RemoteSweep.RunOneAsync(client, options.ToRunMapping(parse), parse.GetValue(outDir), cancellationToken), localOnly) is { } exitCode)
            {
                return exitCode;
            }
            ExperimentConfig config;
            ClusterChoice where;
            try
            {
                config = options.ToConfig(parse);
                where = cluster.Read(parse);
                if (!where.IsEmbedded && options.Device(parse) is not null)
                {
                    throw new CommandLineException("--device configures the embedded silo; a cluster's silos choose their own (orleansring silo --device).");
                }
            }
            catch (CommandLineException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            var output = parse.GetValue(outDir) ?? Path.Combine("runs", config.ExperimentId);
            var timelinePath = parse.GetValue(timeline);
            var telemetry = new TelemetryOptions { RecordTimeline = timelinePath is not null, Console = parse.GetValue(traceConsole) };
            return await RunAsync(config, options.ComputeOptions(parse), where, output, parse.GetValue(quiet), telemetry, timelinePath, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ExperimentConfig config,
        Action<Grains.Compute.TrainingComputeOptions> compute,
        ClusterChoice where,
        string output,
        bool quiet,
        TelemetryOptions telemetry,
        string? timelinePath,
        CancellationToken cancellationToken)
    {
        IAsyncDisposable connection;
        IClusterClient client;
        try
        {
            (connection, client) = await where.ConnectAsync(compute, telemetry, cancellationToken);
        }
        catch (ClusterConnectionException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
        }
        catch (ArgumentException ex) when (ex.ParamName?.StartsWith("OTEL_", StringComparison.Ordinal) == true)
        {
            await Console.Error.WriteLineAsync($"orleansring run: {ErrorText.OneLine(ex)}");
            return OrleansRingCommandLine.BadInput;
        }
        await using var cluster = connection;
        ExperimentResult result;
        try
        {
            result = await ExperimentRunner.RunAsync(client, config, showProgress: !quiet, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or DatasetFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
            return OrleansRingCommandLine.BadInput;
        }
        catch (ChunkStoreException ex)
        {
            // Typically the store is down at the start: nothing ran, nothing is written.
            await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
        }
        var files = ResultFiles.Write(output, result);
        RunSummary.Print(result, files);
        var timelineWritten = timelinePath is null || await WriteTimelineAsync(client, config.ExperimentId, timelinePath, !where.IsEmbedded);
        if (result.State == ExperimentState.Diverged)
        {
            AnsiConsole.MarkupLine($"[yellow]Run diverged[/] at iteration {result.DivergedAtIteration}: training loss non-finite or above {result.Config.DivergenceLoss}.");
            return OrleansRingCommandLine.RunFailed;
        }
        if (result.State != ExperimentState.Completed)
        {
            AnsiConsole.MarkupLine($"[red]Run failed:[/] {Markup.Escape(result.Error ?? "unknown error")}");
            return OrleansRingCommandLine.RunFailed;
        }
        return timelineWritten ? OrleansRingCommandLine.Success : OrleansRingCommandLine.RunFailed;
    }

    /// <summary>Writes the timeline and says where; false (after one line on stderr) when it could not be written.</summary>
    private static async Task<bool> WriteTimelineAsync(IGrainFactory grains, string experimentId, string path, bool cluster)
    {
        try
        {
            var timeline = await ExperimentTimeline.WriteAsync(grains, experimentId, path);
            var workers = timeline.WorkerTracks.Count();
            Console.WriteLine($"timeline: {path} ({workers} worker tracks, {timeline.StepEvents.Count()} ring steps, {timeline.Events.Count} spans; open in Perfetto or chrome://tracing)");
            if (workers == 0)
            {
                await Console.Error.WriteLineAsync(cluster
                    ? "orleansring run: the timeline has no worker spans: start the silos with --record-timeline (OrleansRing:Telemetry:RecordTimeline)."
                    : "orleansring run: the timeline has no worker spans.");
            }
            if (timeline.DroppedEvents > 0)
            {
                await Console.Error.WriteLineAsync($"orleansring run: the timeline lacks {timeline.DroppedEvents} spans past the recorders' capacity ({Telemetry.TimelineRecorder.DefaultCapacityPerTrack} per track).");
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or Telemetry.TimelineFormatException)
        {
            await Console.Error.WriteLineAsync($"orleansring run: could not write the timeline to {path}: {ErrorText.OneLine(ex)}");
            return false;
        }
    }
}
