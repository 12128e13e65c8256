using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansRing.Hosting;
using OrleansRing.Storage;
using OrleansRing.Telemetry;

namespace OrleansRing.Api.Tests;

/// <summary>
/// A real host as `orleansring silo --api` builds it: one generic host with a silo (localhost clustering, its own chunk
/// folder, the repository's built plugins, timelines recorded) and Kestrel on a free 127.0.0.1 port serving the
/// health endpoints, the API and the page. Limits are set low so the tests can reach them with tiny sweeps.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string Token = "test-token-0123456789abcdef";
    public const string SecondToken = "second-token-fedcba9876543210";
    public const int MaxExperiments = 12;
    public const int MaxActiveSweeps = 2;
    public const long MaxRequestBytes = 8 * 1024;

    private WebApplication? _app;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"orleansring-api-{Guid.NewGuid():N}");

    public string ResultsFolder => Path.Combine(Folder, "results");

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var port = FreeTcpPort();
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryOptions.RecordTimelineKey] = "true",
        });
        var builder = OrleansRingWebHost.CreateBuilder(configuration, new HealthEndpointOptions { Port = port, Address = "127.0.0.1" });
        var siloPort = FreeTcpPort();
        var gatewayPort = FreeTcpPort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "orleansring", clusterId: $"api-tests-{Guid.NewGuid():N}");
            silo.AddOrleansRing(chunkStore: ChunkStoreOptions.Parse($"folder:{Path.Combine(Folder, "chunks")}"));
        });
        builder.AddOrleansRingApi(new ApiOptions
        {
            Enabled = true,
            Tokens = [$"{Token},{SecondToken}"],
            ResultsFolder = ResultsFolder,
            DataFolder = Folder,
            MaxExperiments = MaxExperiments,
            MaxActiveSweeps = MaxActiveSweeps,
            MaxRequestBytes = MaxRequestBytes,
        });
        _app = OrleansRingWebHost.Build(builder);
        _app.MapOrleansRingApi();
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>A client with no token: each test adds the one it needs.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };

    public HttpClient Authorized(string token = Token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the folder is in the temp folder.
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
