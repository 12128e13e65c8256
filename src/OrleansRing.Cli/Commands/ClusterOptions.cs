using System.CommandLine;
using OrleansRing.Grains.Compute;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Cli.Commands;

/// <summary>Where a client command's experiments run: an embedded in-process silo (default) or, with --cluster, running silos.</summary>
public sealed class ClusterOptions
{
    private readonly Option<string?> _cluster = new("--cluster") { Description = "Run as a client of running silos instead of an in-process one: localhost:GATEWAYPORT[,GATEWAYPORT...], azure-table (Azurite on 127.0.0.1) or azure-table:CONNECTION_STRING." };
    private readonly Option<string?> _clusterId = new("--cluster-id") { Description = $"With --cluster: the cluster id (default {ClusterConnectionOptions.DefaultClusterId})." };
    private readonly Option<string?> _serviceId = new("--service-id") { Description = $"With --cluster: the service id (default {ClusterConnectionOptions.DefaultServiceId})." };
    private readonly Option<string?> _chunkStore = new("--chunk-store") { Description = $"Embedded silo: where chunks and checkpoints go, folder:PATH or azure:CONNECTION_STRING (default folder:{ChunkStoreConfiguration.DefaultFolder})." };
    private readonly Option<string?> _plugins = new("--plugins") { Description = "Embedded silo: the plugins folder (default: ORLEANSRING_PLUGINS, the app's plugins/ or the repository's artifacts/plugins)." };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _cluster, _clusterId, _serviceId, _chunkStore, _plugins })
        {
            command.Add(option);
        }
    }

    /// <summary>Whether any of these options was given (they have no meaning with --server).</summary>
    public bool AnyGiven(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new Option[] { _cluster, _clusterId, _serviceId, _chunkStore, _plugins }.Any(o => parse.GetResult(o) is { Implicit: false });
    }

    /// <summary>The choice the options make; checks them without connecting to anything.</summary>
    /// <exception cref="CommandLineException">The options contradict each other or do not parse.</exception>
    public ClusterChoice Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var remote = RemoteCluster(parse.GetValue(_cluster), parse.GetValue(_clusterId), parse.GetValue(_serviceId));
        return new ClusterChoice(remote, StoreOption(parse.GetValue(_chunkStore), remote), parse.GetValue(_plugins));
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
}

/// <summary>The embedded silo (with its store and plugins) or a remote cluster.</summary>
public sealed record ClusterChoice(ClusterConnectionOptions? Remote, ChunkStoreOptions? Store, string? PluginsFolder)
{
    public bool IsEmbedded => Remote is null;

    /// <summary>Starts the embedded silo or connects to the cluster; the caller disposes the connection.</summary>
    /// <exception cref="ClusterConnectionException">No cluster answered.</exception>
    /// <exception cref="ArgumentException">An OTEL_* environment variable is malformed (its name is the ParamName).</exception>
    public async Task<(IAsyncDisposable Connection, IClusterClient Client)> ConnectAsync(Action<TrainingComputeOptions> compute, TelemetryOptions telemetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        if (Remote is null)
        {
            var embedded = await EmbeddedCluster.StartAsync(compute, Store, PluginsFolder, telemetry: telemetry, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (embedded, embedded.Client);
        }
        // The client records nothing (the silos do); it exports its own spans when asked.
        var clusterClient = await OrleansRingClusterClient.ConnectAsync(Remote, telemetry: new TelemetryOptions { Console = telemetry.Console }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (clusterClient, clusterClient.Client);
    }
}
