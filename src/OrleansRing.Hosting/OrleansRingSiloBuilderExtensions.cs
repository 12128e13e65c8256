using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansRing.Grains.Attacks;
using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Data;
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
    /// Registers what worker and coordinator grains need in a silo: the per-silo dataset cache and the
    /// compute queue that keeps tensor work off Orleans' scheduler, the chunk store (given, or read from
    /// configuration by <see cref="ChunkStoreConfiguration"/>), the timeline recorder (on when
    /// <see cref="TelemetryOptions.RecordTimelineKey"/> is true) and Orleans' trace-context propagation across grain calls.
    /// </summary>
    public static ISiloBuilder AddOrleansRing(this ISiloBuilder silo, Action<TrainingComputeOptions>? configureCompute = null, ChunkStoreOptions? chunkStore = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        // Orleans serialises only System/Microsoft/Azure exceptions by default; ours (a store down at start, a
        // protocol error) must reach remote clients with their type and message intact.
        silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("OrleansRing"));
        silo.Services.AddSingleton<IDatasetCatalog, DatasetCatalog>();
        silo.Services.AddSingleton<TrainingComputeQueue>();
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
            return new PluginCatalogProvider(
                configuration[PluginsFolderKey] is { Length: > 0 } folder ? folder : PluginFolder.ResolveDefault(),
                new PluginSandboxOptions { TimeLimit = limit });
        });
        var options = silo.Services.AddOptions<TrainingComputeOptions>().BindConfiguration(TrainingComputeOptions.SectionName);
        if (configureCompute is not null)
        {
            options.Configure(configureCompute);
        }
        return silo;
    }
}
