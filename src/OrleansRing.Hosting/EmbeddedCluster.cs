using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansRing.Grains.Compute;
using OrleansRing.Storage;

namespace OrleansRing.Hosting;

/// <summary>
/// A single in-process silo with localhost clustering on free loopback ports: the zero-set-up default
/// of the command line. No external service, nothing written outside the process. Telemetry as
/// <see cref="OrleansRingTelemetryExtensions.AddOrleansRingTelemetry"/> says: none unless configured.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedCluster(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<EmbeddedCluster> StartAsync(
        Action<TrainingComputeOptions>? configureCompute = null,
        ChunkStoreOptions? chunkStore = null,
        string? pluginsFolder = null,
        LogLevel minimumLogLevel = LogLevel.Warning,
        TelemetryOptions? telemetry = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddOrleansRingTelemetry(telemetry);
        if (pluginsFolder is not null)
        {
            builder.Configuration[OrleansRingSiloBuilderExtensions.PluginsFolderKey] = pluginsFolder;
        }
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("Orleans", minimumLogLevel < LogLevel.Warning ? minimumLogLevel : LogLevel.Error);
        var siloPort = FreeTcpPort();
        var gatewayPort = FreeTcpPort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "orleansring", clusterId: $"embedded-{Environment.ProcessId}");
            silo.AddOrleansRing(configureCompute, chunkStore);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new EmbeddedCluster(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
