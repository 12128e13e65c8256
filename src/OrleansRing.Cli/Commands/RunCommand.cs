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
        var command = new Command("run", "Train one experiment: N workers in a ring on an in-process silo (or, with --cluster, on running silos). With no options: a short synthetic run.");
        options.AddTo(command);
        command.Add(outDir);
        command.Add(quiet);
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ExperimentConfig config;
            ClusterChoice where;
            try
            {
                config = options.ToConfig(parse);
                where = cluster.Read(parse);
            }
            catch (CommandLineException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            var output = parse.GetValue(outDir) ?? Path.Combine("runs", config.ExperimentId);
            return await RunAsync(config, options.ComputeOptions(parse), where, output, parse.GetValue(quiet), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ExperimentConfig config, Action<Grains.Compute.TrainingComputeOptions> compute, ClusterChoice where, string output, bool quiet, CancellationToken cancellationToken)
    {
        IAsyncDisposable connection;
        IClusterClient client;
        try
        {
            (connection, client) = await where.ConnectAsync(compute, cancellationToken);
        }
        catch (ClusterConnectionException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
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
        return OrleansRingCommandLine.Success;
    }
}
