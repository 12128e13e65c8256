using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Cluster.Tests;

/// <summary>
/// A real cluster on this machine: a fresh Azurite, and N `orleansring silo` processes on loopback with Azure Table
/// clustering on it, a unique cluster id, distinct free ports and one compute thread each. Settings reach the silos
/// the three ways a deployment would: a JSON file (clustering, log levels), environment variables (the storage
/// connection string) and flags (ports, ids, compute). Disposing kills every silo, then Azurite.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromMinutes(3);

    private readonly List<SiloProcess> _silos = [];
    private readonly string _folder;

    private SiloCluster(AzuriteProcess azurite, string clusterId, string folder)
    {
        Azurite = azurite;
        ClusterId = clusterId;
        _folder = folder;
    }

    public AzuriteProcess Azurite { get; }

    public string ClusterId { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The <c>orleansring run --cluster</c> text for this cluster.</summary>
    public string ClientSpec => $"azure-table:{Azurite.ConnectionString}";

    /// <summary>A scratch folder of this cluster, deleted with it.</summary>
    public string Folder => _folder;

    /// <summary>
    /// Starts Azurite and <paramref name="count"/> silos at once and waits for every "silo ready" line. Skips the test
    /// when Azurite is not installed (fails instead when ORLEANSRING_REQUIRE_AZURITE is set).
    /// </summary>
    public static async Task<SiloCluster> StartAsync(int count, bool fastFailureDetection, CancellationToken cancellationToken, IReadOnlyList<string>? extraSiloArguments = null)
    {
        var azurite = await AzuriteProcess.StartIfInstalledAsync(cancellationToken);
        if (azurite is null)
        {
            Assert.Skip(AzuriteProcess.NotInstalledReason ?? "Azurite did not start.");
        }
        var folder = Directory.CreateTempSubdirectory("orleansring-cluster-").FullName;
        var cluster = new SiloCluster(azurite, $"test-{Guid.NewGuid():N}"[..20], folder);
        try
        {
            var settings = Path.Combine(folder, "silo.json");
            await File.WriteAllTextAsync(settings, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["OrleansRing"] = new Dictionary<string, object> { ["Cluster"] = new Dictionary<string, object> { ["Clustering"] = "azure-table" } },
                // Workers log "Worker EXPERIMENT/RANK of N ready" at Debug: the record of which silo hosts which rank.
                // The data plane logs at Information that it listens: the record that ring steps crossed silos on it.
                ["Logging"] = new Dictionary<string, object> { ["LogLevel"] = new Dictionary<string, string> { ["OrleansRing.Grains.WorkerGrain"] = "Debug", ["OrleansRing.Grains.Ring.ChunkDataPlane"] = "Information" } },
            }), cancellationToken);
            var environment = new Dictionary<string, string>
            {
                ["ORLEANSRING__Cluster__StorageConnectionString"] = azurite.ConnectionString,
                // Every silo proves the cluster's data plane key to the others, as a deployment with the Secret set does.
                [Grains.Ring.ChunkDataPlane.KeyKey.Replace(":", "__", StringComparison.Ordinal)] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            };
            var ports = FreeLoopbackPorts(2 * count);
            for (var i = 0; i < count; i++)
            {
                List<string> args =
                [
                    "--config", settings,
                    "--silo-port", ports[2 * i].ToString(),
                    "--gateway-port", ports[(2 * i) + 1].ToString(),
                    "--cluster-id", cluster.ClusterId,
                    "--advertised-ip", "127.0.0.1",
                    "--concurrent-workers", "1",
                    "--torch-threads", "1",
                ];
                if (fastFailureDetection)
                {
                    args.Add("--fast-failure-detection");
                }
                args.AddRange(extraSiloArguments ?? []);
                cluster._silos.Add(SiloProcess.Start($"silo {i}", args, environment));
            }
            await Task.WhenAll(cluster._silos.Select(s => s.WaitForReadyAsync(s_readyTimeout, cancellationToken)));
            return cluster;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var report = cluster.Describe();
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"The {count}-silo cluster did not start: {ex.Message}{Environment.NewLine}{report}", ex);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every silo's state and last log lines, for failure messages.</summary>
    public string Describe() => string.Join(Environment.NewLine, _silos.Select(s => s.Describe()));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        await Azurite.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    /// <summary>Ports the OS hands out for 127.0.0.1:0, all held at once so that they differ.</summary>
    public static int[] FreeLoopbackPorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
