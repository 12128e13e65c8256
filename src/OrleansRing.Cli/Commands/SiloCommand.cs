using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.AspNetCore.Builder;
using OrleansRing.Api;
using OrleansRing.Grains.Compute;
using OrleansRing.Hosting;
using OrleansRing.Storage;
using OrleansRing.Training;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `orleansring silo`: hosts one silo of a multi-silo cluster until SIGTERM or SIGINT, then shuts down gracefully.
/// Settings come from, lowest first: the JSON file of --config, environment variables (ORLEANSRING__Cluster__SiloPort
/// is OrleansRing:Cluster:SiloPort; OTEL_* as OpenTelemetry defines them), and flags; a pod's downward-API variables
/// (<see cref="PodEnvironment"/>) sit just below the ORLEANSRING__ variables. Prints "silo ready: ADDRESS gateway PORT"
/// on stdout once started; logs go to stderr. With a health port it also serves /healthz/live, /healthz/ready and
/// /healthz/startup over HTTP.
/// </summary>
public static class SiloCommand
{
    public const string Name = "silo";

    /// <summary>The line on stdout that says the silo has joined; scripts and tests wait for it.</summary>
    public const string ReadyPrefix = "silo ready: ";

    public const string ShutdownTimeoutKey = "OrleansRing:Silo:ShutdownTimeout";

    /// <summary>The chunk store in text form (folder:PATH | azure:...), or a section with ChunkStoreOptions' keys; published as ChunkStore.</summary>
    public const string ChunkStoreKey = "OrleansRing:ChunkStore";

    private const string ClusterPrefix = ClusterConnectionOptions.SectionName + ":";
    private const string ComputePrefix = TrainingComputeOptions.SectionName + ":";
    private const string HealthPrefix = HealthEndpointOptions.SectionName + ":";
    private static readonly TimeSpan s_defaultShutdownTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A JSON settings file (sections OrleansRing:Cluster, OrleansRing:Compute, OrleansRing:ChunkStore or ChunkStore, Logging)." };
        var clustering = new Option<string?>("--clustering") { Description = "localhost (the primary silo holds membership) or azure-table (membership in Azure Storage or Azurite). Default: localhost." };
        clustering.AcceptOnlyFromAmong("localhost", "azure-table");
        var siloPort = new Option<int?>("--silo-port") { Description = $"Port for silo-to-silo traffic (default {ClusterConnectionOptions.DefaultSiloPort})." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = $"Port clients connect to (default {ClusterConnectionOptions.DefaultGatewayPort})." };
        var primarySiloPort = new Option<int?>("--primary-silo-port") { Description = "Localhost clustering: the primary silo's --silo-port. The primary itself omits it." };
        var clusterId = new Option<string?>("--cluster-id") { Description = $"Cluster id; silos and clients of one cluster share it (default {ClusterConnectionOptions.DefaultClusterId})." };
        var serviceId = new Option<string?>("--service-id") { Description = $"Service id (default {ClusterConnectionOptions.DefaultServiceId})." };
        var storage = new Option<string?>("--storage") { Description = "Azure table clustering: the Azure Storage connection string (default: Azurite on 127.0.0.1)." };
        var advertisedIp = new Option<string?>("--advertised-ip") { Description = $"IP address other silos and clients reach this silo on (default: ${ClusterConnectionOptions.PodIpVariable}, else loopback for localhost clustering, else the first non-loopback IPv4)." };
        var fastFailure = new Option<bool>("--fast-failure-detection") { Description = "Declare a dead silo dead in seconds (probe timeout 1 s, 2 missed probes, 1 vote) instead of tens of seconds." };
        var concurrentWorkers = new Option<int?>("--concurrent-workers") { Description = "Workers computing at once in this silo (default: one per core)." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "TorchSharp intra-op threads (default 1)." };
        var chunkStore = new Option<string?>("--chunk-store") { Description = "Where gradient chunks persist: folder:PATH or azure:CONNECTION_STRING (or azure:https://ACCOUNT.blob.core.windows.net/CONTAINER)." };
        var shutdownTimeout = new Option<double?>("--shutdown-timeout") { Description = $"Seconds a graceful shutdown may take (default {s_defaultShutdownTimeout.TotalSeconds:0})." };
        var recordTimeline = new Option<bool>("--record-timeline") { Description = "Record this silo's ring spans so that clients' run --timeline gets them (every silo of the cluster must)." };
        var traceConsole = new Option<bool>("--trace-console") { Description = "Write finished spans to the console (stderr-bound logs stay on stderr). OTLP: set OTEL_EXPORTER_OTLP_ENDPOINT." };
        var device = new Option<string?>("--device") { Description = $"Where workers train: {TrainingDeviceSelection.Forms} (default auto: CUDA when TorchSharp reports it, else the CPU)." };
        var workersPerDevice = new Option<int?>("--workers-per-device") { Description = $"GPU silos: workers computing on one GPU at once; more queue for it (default {TrainingComputeOptions.DefaultWorkersPerDevice})." };
        var healthPort = new Option<int?>("--health-port") { Description = "Serve /healthz/live, /healthz/ready and /healthz/startup on this HTTP port (default: no health endpoints)." };
        var healthAddress = new Option<string?>("--health-address") { Description = "The address the health endpoints listen on (default 0.0.0.0)." };
        var api = new Option<bool>("--api") { Description = $"Also serve the HTTP API and the page on the --health-port web host (bearer tokens from {ApiOptions.TokensEnvironmentVariable}, {ApiOptions.SectionName}:Tokens or :TokensFile; results under {ApiOptions.SectionName}:ResultsFolder, default runs/api)." };

        var command = new Command(Name, "Host one silo of a multi-silo cluster until SIGTERM/SIGINT. Prints 'silo ready: ADDRESS gateway PORT' when joined.");
        foreach (var option in new Option[] { config, clustering, siloPort, gatewayPort, primarySiloPort, clusterId, serviceId, storage, advertisedIp, fastFailure, concurrentWorkers, torchThreads, chunkStore, shutdownTimeout, device, workersPerDevice, healthPort, healthAddress, api, recordTimeline, traceConsole })
        {
            command.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Only flags that were given override lower sources, so every value is optional here.
            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            void Flag(string key, object? value)
            {
                if (value is not null)
                {
                    flags[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
                }
            }
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.Clustering), parse.GetValue(clustering));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.SiloPort), parse.GetValue(siloPort));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.GatewayPort), parse.GetValue(gatewayPort));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.PrimarySiloPort), parse.GetValue(primarySiloPort));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.ClusterId), parse.GetValue(clusterId));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.ServiceId), parse.GetValue(serviceId));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.StorageConnectionString), parse.GetValue(storage));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.AdvertisedIPAddress), parse.GetValue(advertisedIp));
            Flag(ClusterPrefix + nameof(ClusterConnectionOptions.FastFailureDetection), parse.GetValue(fastFailure) ? true : null);
            Flag(ComputePrefix + nameof(TrainingComputeOptions.ConcurrentWorkers), parse.GetValue(concurrentWorkers));
            Flag(ComputePrefix + nameof(TrainingComputeOptions.IntraOpThreads), parse.GetValue(torchThreads));
            Flag(ChunkStoreKey, parse.GetValue(chunkStore));
            Flag(TelemetryOptions.RecordTimelineKey, parse.GetValue(recordTimeline) ? true : null);
            Flag(TelemetryOptions.ConsoleKey, parse.GetValue(traceConsole) ? true : null);
            Flag(ComputePrefix + nameof(TrainingComputeOptions.Device), parse.GetValue(device));
            Flag(ComputePrefix + nameof(TrainingComputeOptions.WorkersPerDevice), parse.GetValue(workersPerDevice));
            Flag(HealthPrefix + nameof(HealthEndpointOptions.Port), parse.GetValue(healthPort));
            Flag(HealthPrefix + nameof(HealthEndpointOptions.Address), parse.GetValue(healthAddress));
            Flag(ApiOptions.SectionName + ":" + nameof(ApiOptions.Enabled), parse.GetValue(api) ? true : null);
            if (parse.GetValue(shutdownTimeout) is { } seconds)
            {
                if (!(seconds > 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds))
                {
                    await Console.Error.WriteLineAsync($"orleansring silo: --shutdown-timeout must be in (0, 86400] seconds; got {seconds}.");
                    return OrleansRingCommandLine.BadInput;
                }
                Flag(ShutdownTimeoutKey, TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture));
            }

            SiloSetup setup;
            try
            {
                setup = Configure(parse.GetValue(config), flags);
            }
            catch (CommandLineException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring silo: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            return await RunAsync(setup, cancellationToken);
        });
        return command;
    }

    private static SiloSetup Configure(string? configPath, Dictionary<string, string?> flags)
    {
        // No defaults: an appsettings.json that happens to lie in the current folder must not configure a silo.
        // The app's own appsettings.json (shipped beside the binary, e.g. in a container image), then --config, the
        // pod's downward-API variables, environment variables and flags, each overriding the one before.
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configPath is not null)
        {
            var fullPath = Path.GetFullPath(configPath);
            if (!File.Exists(fullPath))
            {
                throw new CommandLineException($"--config: '{configPath}' does not exist.");
            }
            try
            {
                configuration.AddJsonFile(fullPath, optional: false, reloadOnChange: false);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
            {
                throw new CommandLineException($"--config: '{configPath}' is not a valid JSON settings file: {OneLine(ex.InnerException?.Message ?? ex.Message)}", ex);
            }
        }
        var pod = PodEnvironment.FromEnvironment();
        configuration.AddInMemoryCollection(pod.ToConfiguration());
        configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(flags);

        var cluster = new ClusterConnectionOptions();
        try
        {
            configuration.GetSection(ClusterConnectionOptions.SectionName).Bind(cluster);
            cluster.Validate();
            _ = cluster.ResolveAdvertisedAddress();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new CommandLineException(Reason(ex), ex);
        }
        var compute = new TrainingComputeOptions();
        try
        {
            configuration.GetSection(TrainingComputeOptions.SectionName).Bind(compute);
        }
        catch (InvalidOperationException ex)
        {
            throw new CommandLineException(Reason(ex), ex);
        }
        if (compute.ConcurrentWorkers < 1 || compute.IntraOpThreads < 1 || compute.WorkersPerDevice < 1)
        {
            throw new CommandLineException($"--concurrent-workers, --torch-threads and --workers-per-device must be ≥ 1 (got {compute.ConcurrentWorkers}, {compute.IntraOpThreads} and {compute.WorkersPerDevice}).");
        }
        IReadOnlyList<TrainingDevice> devices;
        try
        {
            devices = TrainingComputeQueue.ResolveDevices(compute);
        }
        catch (Exception ex) when (ex is ArgumentException or TrainingDeviceUnavailableException)
        {
            throw new CommandLineException($"--device ({ComputePrefix}{nameof(TrainingComputeOptions.Device)}): {OneLine(ex.Message)}", ex);
        }
        var health = new HealthEndpointOptions();
        try
        {
            configuration.GetSection(HealthEndpointOptions.SectionName).Bind(health);
            health.Validate();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new CommandLineException($"health endpoints (--health-port, --health-address): {Reason(ex)}", ex);
        }
        var chunkStore = ResolveChunkStore(configuration);
        var shutdown = ShutdownTimeout(configuration);
        var api = ResolveApi(configuration, health);

        IHostApplicationBuilder builder = health.Enabled
            ? OrleansRingWebHost.CreateBuilder(configuration, health)
            : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "orleansring", Configuration = configuration });

        try
        {
            builder.AddOrleansRingTelemetry();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new CommandLineException($"telemetry: {Reason(ex)}", ex);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Orleans' placement pipeline logs every attempt through Polly at Information.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // After the defaults above, so that the Logging section of any source overrides them.
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        // stdout carries only the ready line, so scripts can read it without parsing logs.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown);
        builder.UseOrleans(silo =>
        {
            silo.UseOrleansRingClustering(cluster);
            silo.AddOrleansRing(chunkStore: chunkStore);
        });
        if (api is not null)
        {
            ((WebApplicationBuilder)builder).AddOrleansRingApi(api);
        }
        return new SiloSetup(builder, cluster, health, pod, devices, api);
    }

    private static async Task<int> RunAsync(SiloSetup setup, CancellationToken cancellationToken)
    {
        var cluster = setup.Cluster;
        using var host = setup.Builder is WebApplicationBuilder web
            ? BuildWebHost(web, setup.Api is not null)
            : ((HostApplicationBuilder)setup.Builder).Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansRing.Cli.Silo");
        var address = cluster.ResolveAdvertisedAddress();
        var membership = cluster.Clustering != ClusteringKind.Localhost
            ? cluster.Describe()
            : cluster.PrimarySiloPort is { } primary && primary != cluster.SiloPort
                ? $"cluster '{cluster.ClusterId}' (service '{cluster.ServiceId}') by localhost clustering, primary silo {address}:{primary}"
                : $"cluster '{cluster.ClusterId}' (service '{cluster.ServiceId}') by localhost clustering as its primary silo";
        logger.LogInformation("Joining {Cluster} as {Address}, silo port {SiloPort}, gateway port {GatewayPort}; {Pod}; training on {Devices}",
            membership, address, cluster.SiloPort, cluster.GatewayPort, setup.Pod.Describe(), string.Join(", ", setup.Devices));
        if (setup.Health.Enabled)
        {
            logger.LogInformation("Health endpoints on http://{Address}:{Port}{Live}, {Ready}, {Startup}",
                setup.Health.Address, setup.Health.Port, HealthEndpointOptions.LivePath, HealthEndpointOptions.ReadyPath, HealthEndpointOptions.StartupPath);
        }
        if (setup.Api is { } api)
        {
            logger.LogInformation("HTTP API on http://{Address}:{Port}{Api} ({Tokens} bearer tokens; OpenAPI at {OpenApi}; page at /); results in {Results}",
                setup.Health.Address, setup.Health.Port, OrleansRingApi.ApiPrefix, api.ResolveTokens().Count, OrleansRingApi.OpenApiPath, Path.GetFullPath(api.ResultsFolder));
        }
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The silo did not start");
            await Console.Error.WriteLineAsync($"orleansring silo: the silo did not start ({membership}): {ex.GetType().Name}: {OneLine(ex.Message)}");
            return OrleansRingCommandLine.RunFailed;
        }
        var details = host.Services.GetRequiredService<ILocalSiloDetails>();
        var gateway = details.GatewayAddress?.Endpoint.Port ?? cluster.GatewayPort;
        await Console.Out.WriteLineAsync($"{ReadyPrefix}{details.SiloAddress.ToParsableString()} gateway {gateway}");
        await Console.Out.FlushAsync(cancellationToken);
        // Returns once SIGTERM or SIGINT has stopped the host, within HostOptions.ShutdownTimeout.
        await host.WaitForShutdownAsync(cancellationToken);
        return OrleansRingCommandLine.Success;
    }

    /// <summary>
    /// The chunk store, resolved now so that a bad one is a one-line error before the silo starts. The keys under
    /// <see cref="ChunkStoreKey"/> (flag --chunk-store, ORLEANSRING__ChunkStore..., or the settings file) are
    /// published under <see cref="ChunkStoreOptions.SectionName"/>, where <see cref="ChunkStoreConfiguration"/> reads
    /// the text form or the section's keys; without either, its embedded default folder.
    /// </summary>
    private static ChunkStoreOptions ResolveChunkStore(ConfigurationManager configuration)
    {
        var bridged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection(ChunkStoreKey);
        if (section.Value is { Length: > 0 } text)
        {
            bridged[ChunkStoreOptions.SectionName] = text;
        }
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                bridged[ChunkStoreOptions.SectionName + ":" + key] = value;
            }
        }
        configuration.AddInMemoryCollection(bridged);
        try
        {
            return ChunkStoreConfiguration.Read(configuration);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // Parse and Validate never echo a connection string.
            throw new CommandLineException($"chunk store (--chunk-store, {ChunkStoreKey} or {ChunkStoreOptions.SectionName}): {OneLine(ex.Message)}", ex);
        }
    }

    private static IHost BuildWebHost(WebApplicationBuilder builder, bool api)
    {
        var app = OrleansRingWebHost.Build(builder);
        if (api)
        {
            app.MapOrleansRingApi();
        }
        return app;
    }

    /// <summary>The API's settings when it is on (--api, OrleansRing:Api:Enabled); it needs the web host and a token.</summary>
    private static ApiOptions? ResolveApi(IConfiguration configuration, HealthEndpointOptions health)
    {
        ApiOptions api;
        try
        {
            api = ApiOptions.Read(configuration);
            if (!api.Enabled)
            {
                return null;
            }
            api.Validate();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new CommandLineException($"HTTP API (--api, {ApiOptions.SectionName}): {Reason(ex)}", ex);
        }
        return health.Enabled
            ? api
            : throw new CommandLineException("--api serves the HTTP API on the silo's web host: give it a port with --health-port.");
    }

    private static TimeSpan ShutdownTimeout(IConfiguration configuration)
    {
        TimeSpan? value;
        try
        {
            value = configuration.GetValue<TimeSpan?>(ShutdownTimeoutKey);
        }
        catch (InvalidOperationException ex)
        {
            throw new CommandLineException(Reason(ex), ex);
        }
        return value switch
        {
            null => s_defaultShutdownTimeout,
            { } positive when positive > TimeSpan.Zero => positive,
            { } other => throw new CommandLineException($"--shutdown-timeout ({ShutdownTimeoutKey}) must be positive; got {other}."),
        };
    }

    // The binder's message names the key; its inner exception says what was wrong with the value.
    private static string Reason(Exception ex) =>
        OneLine(ex.InnerException is { } inner && ex is InvalidOperationException ? $"{ex.Message} {inner.Message}" : ex.Message);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
