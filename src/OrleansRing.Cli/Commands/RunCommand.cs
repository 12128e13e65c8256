using System.CommandLine;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Data;
using OrleansRing.Grains;
using OrleansRing.Hosting;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring run`: one experiment on an embedded in-process silo.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions();
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json and metrics.csv (default: runs/<experiment id>)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar; print only the summary." };
        var command = new Command("run", "Train one experiment: N workers in a ring on an in-process silo. With no options: a short synthetic run.");
        options.AddTo(command);
        command.Add(outDir);
        command.Add(quiet);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ExperimentConfig config;
            try
            {
                config = options.ToConfig(parse);
            }
            catch (CommandLineException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            var output = parse.GetValue(outDir) ?? Path.Combine("runs", config.ExperimentId);
            return await RunAsync(config, options.ComputeOptions(parse), output, parse.GetValue(quiet), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ExperimentConfig config, Action<Grains.Compute.TrainingComputeOptions> compute, string output, bool quiet, CancellationToken cancellationToken)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(compute, cancellationToken: cancellationToken);
        ExperimentResult result;
        try
        {
            result = await ExperimentRunner.RunAsync(cluster.Client, config, showProgress: !quiet, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or DatasetFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
            return OrleansRingCommandLine.BadInput;
        }
        var files = ResultFiles.Write(output, result);
        RunSummary.Print(result, files);
        if (result.State != ExperimentState.Completed)
        {
            AnsiConsole.MarkupLine($"[red]Run failed:[/] {Markup.Escape(result.Error ?? "unknown error")}");
            return OrleansRingCommandLine.RunFailed;
        }
        return OrleansRingCommandLine.Success;
    }
}
