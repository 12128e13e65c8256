using System.CommandLine;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Data;
using OrleansRing.Grains;
using OrleansRing.Hosting;
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
        var cluster = new Option<string?>("--cluster") { Description = "Run as a client of running silos instead of an in-process one: localhost:GATEWAYPORT[,GATEWAYPORT...], azure-table (Azurite on 127.0.0.1) or azure-table:CONNECTION_STRING." };
        var clusterId = new Option<string?>("--cluster-id") { Description = $"With --cluster: the cluster id (default {ClusterConnectionOptions.DefaultClusterId})." };
        var chunkStore = new Option<string?>("--chunk-store") { Description = $"Embedded silo: where chunks and checkpoints go, folder:PATH or azure:CONNECTION_STRING (default folder:{ChunkStoreConfiguration.DefaultFolder})." };
        var plugins = new Option<string?>("--plugins") { Description = "Embedded silo: the plugins folder (default: ORLEANSRING_PLUGINS, the app's plugins/ or the repository's artifacts/plugins)." };
        var serviceId = new Option<string?>("--service-id") { Description = $"With --cluster: the service id (default {ClusterConnectionOptions.DefaultServiceId})." };
        var command = new Command("run", "Train one experiment: N workers in a ring on an in-process silo (or, with --cluster, on running silos). With no options: a short synthetic run.");
        options.AddTo(command);
        command.Add(outDir);
        command.Add(quiet);
        command.Add(cluster);
        command.Add(clusterId);
        command.Add(serviceId);
        command.Add(chunkStore);
        command.Add(plugins);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ExperimentConfig config;
            ClusterConnectionOptions? remote;
            ChunkStoreOptions? store;
            try
            {
                config = options.ToConfig(parse);
                remote = RemoteCluster(parse.GetValue(cluster), parse.GetValue(clusterId), parse.GetValue(serviceId));
                store = StoreOption(parse.GetValue(chunkStore), remote);
                if (remote is not null && options.Device(parse) is not null)
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
            return await RunAsync(config, options.ComputeOptions(parse), remote, store, parse.GetValue(plugins), output, parse.GetValue(quiet), cancellationToken);
        });
        return command;
    }

    /// <summary>Null without --cluster (the embedded silo); --cluster-id and --service-id only make sense with it.</summary>
    private static ClusterConnectionOptions? RemoteCluster(string? spec, string? clusterId, string? serviceId)
    {
        if (spec is null)
        {
            return clusterId is null && serviceId is null
                ? null
                : throw new CommandLineException("--cluster-id and --service-id need --cluster.");
        }
        try
        {
            var options = ClusterConnectionOptions.ParseClientSpec(spec);
            options.ClusterId = clusterId ?? options.ClusterId;
            options.ServiceId = serviceId ?? options.ServiceId;
            options.Validate();
            return options;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new CommandLineException($"--cluster: {ex.Message}", ex);
        }
    }

    private static ChunkStoreOptions? StoreOption(string? text, ClusterConnectionOptions? remote)
    {
        if (text is null)
        {
            return null;
        }
        if (remote is not null)
        {
            throw new CommandLineException("--chunk-store configures the embedded silo; a cluster's silos have their own (orleansring silo --chunk-store).");
        }
        try
        {
            return ChunkStoreOptions.Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new CommandLineException($"--chunk-store: {ex.Message}", ex);
        }
    }

    private static async Task<int> RunAsync(ExperimentConfig config, Action<Grains.Compute.TrainingComputeOptions> compute, ClusterConnectionOptions? remote, ChunkStoreOptions? store, string? plugins, string output, bool quiet, CancellationToken cancellationToken)
    {
        IAsyncDisposable connection;
        IClusterClient client;
        if (remote is null)
        {
            var embedded = await EmbeddedCluster.StartAsync(compute, store, plugins, cancellationToken: cancellationToken);
            (connection, client) = (embedded, embedded.Client);
        }
        else
        {
            try
            {
                var clusterClient = await OrleansRingClusterClient.ConnectAsync(remote, cancellationToken: cancellationToken);
                (connection, client) = (clusterClient, clusterClient.Client);
            }
            catch (ClusterConnectionException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring run: {ex.Message}");
                return OrleansRingCommandLine.RunFailed;
            }
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
        if (result.State != ExperimentState.Completed)
        {
            AnsiConsole.MarkupLine($"[red]Run failed:[/] {Markup.Escape(result.Error ?? "unknown error")}");
            return OrleansRingCommandLine.RunFailed;
        }
        return OrleansRingCommandLine.Success;
    }
}
