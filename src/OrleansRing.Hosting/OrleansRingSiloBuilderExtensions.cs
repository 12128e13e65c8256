using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansRing.Grains.Attacks;
using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Data;
using OrleansRing.Grains.Placement;
using OrleansRing.Grains.Ring;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansRing.Plugins.Host;
using OrleansRing.Storage;
using OrleansRing.Telemetry;

namespace OrleansRing.Hosting;

public static class OrleansRingSiloBuilderExtensions
{
    /// <summary>Configuration key of the silo's plugins folder (default: <see cref="PluginFolder.ResolveDefault()"/>).</summary>
    public const string PluginsFolderKey = "OrleansRing:Plugins:Folder";

    /// <summary>Configuration key: seconds a plugin hook may run before the experiment fails (default 30).</summary>
    public const string PluginTimeLimitKey = "OrleansRing:Plugins:TimeLimitSeconds";

    /// <summary>
    /// Registers what worker and coordinator grains need in a silo: the per-silo dataset cache, the compute queue of
    /// the silo's devices that keeps tensor work off Orleans' scheduler, the chunk store (given, or read from
    /// configuration by <see cref="ChunkStoreConfiguration"/>), capacity-aware worker placement (this silo
    /// advertises <paramref name="capacity"/> as silo metadata), the timeline recorder (on when
    /// <see cref="TelemetryOptions.RecordTimelineKey"/> is true) and Orleans' trace-context propagation across grain calls.
    /// </summary>
    /// <param name="silo">The silo being built.</param>
    /// <param name="configureCompute">Overrides of the "OrleansRing:Compute" configuration.</param>
    /// <param name="chunkStore">The chunk store; null: from configuration.</param>
    /// <param name="capacity">
    /// What this silo offers worker placement; null: what its devices give (<see cref="TrainingComputeQueue.CapacityOf"/>,
    /// resolved now). Tests declare capacities unlike the hardware's.
    /// </param>
    /// <exception cref="ArgumentException">A compute option is invalid.</exception>
    /// <exception cref="OrleansRing.Training.TrainingDeviceUnavailableException">The device asked for is not there.</exception>
    public static ISiloBuilder AddOrleansRing(this ISiloBuilder silo, Action<TrainingComputeOptions>? configureCompute = null, ChunkStoreOptions? chunkStore = null, SiloCapacity? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (capacity is null)
        {
            // Metadata is fixed when the silo is built, so the devices are resolved here rather than at first use.
            var compute = new TrainingComputeOptions();
            silo.Configuration.GetSection(TrainingComputeOptions.SectionName).Bind(compute);
            configureCompute?.Invoke(compute);
            capacity = TrainingComputeQueue.CapacityOf(compute);
        }
        silo.UseSiloMetadata(capacity.ToMetadata());
        silo.Services.AddSingleton(capacity);
        silo.Services.AddSingleton<ISiloCapacityDirectory, SiloMetadataCapacityDirectory>();
        silo.AddPlacementDirector<CapacityPlacementStrategy, CapacityPlacementDirector>();
        // Orleans serialises only System/Microsoft/Azure exceptions by default; ours (a store down at start, a
        // protocol error) must reach remote clients with their type and message intact.
        silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("OrleansRing"));
        silo.Services.AddSingleton<IDatasetCatalog, DatasetCatalog>();
        silo.Services.AddSingleton<TrainingComputeQueue>();
        // Per silo: ring steps between workers of this silo are in-memory hand-offs unless configured off.
        silo.Services.AddSingleton(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            return new LocalChunkRoutes(configuration.GetValue(LocalChunkRoutes.EnabledKey, true), configuration.GetValue(LocalChunkRoutes.OneWayKey, true));
        });
        // Per silo: ring steps to workers of other silos go over a TCP connection per pair of silos unless configured off.
        silo.Services.AddSingleton(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            return new ChunkDataPlane(
                services.GetRequiredService<LocalChunkRoutes>(),
                services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.Address,
                configuration.GetValue(ChunkDataPlane.PortKey, 0),
                configuration.GetValue(ChunkDataPlane.EnabledKey, true),
                services.GetRequiredService<ILogger<ChunkDataPlane>>(),
                configuration[ChunkDataPlane.KeyKey]);
        });
        silo.AddActivityPropagation();
        silo.Services.AddSingleton(services => new TimelineRecorder(
            services.GetRequiredService<IConfiguration>().GetValue<bool>(TelemetryOptions.RecordTimelineKey),
            services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString()));
        silo.Services.AddSingleton(services => ChunkStoreFactory.Create(chunkStore ?? ChunkStoreConfiguration.Read(services.GetRequiredService<IConfiguration>())));
        silo.Services.AddSingleton(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            var limit = configuration[PluginTimeLimitKey] is { Length: > 0 } seconds
                ? TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))
                : PluginSandboxOptions.Default.TimeLimit;
            var sandbox = new PluginSandboxOptions { TimeLimit = limit };
            if (configuration[PluginsFolderKey] is { Length: > 0 } folder)
            {
                return new PluginCatalogProvider(folder, sandbox);
            }
            try
            {
                return new PluginCatalogProvider(PluginFolder.ResolveDefault(), sandbox);
            }
            catch (PluginLoadException ex)
            {
                return PluginCatalogProvider.Unavailable(ex, sandbox);
            }
        });
        var options = silo.Services.AddOptions<TrainingComputeOptions>().BindConfiguration(TrainingComputeOptions.SectionName);
        if (configureCompute is not null)
        {
            options.Configure(configureCompute);
        }
        return silo;
    }
}
