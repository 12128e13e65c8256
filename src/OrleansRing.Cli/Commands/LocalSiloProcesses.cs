using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using OrleansRing.Grains.Ring;
using OrleansRing.Hosting;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// Silo processes of one localhost cluster on loopback, started from this very executable (`orleansring silo`), for
/// benchmarks whose ring must cross real TCP between processes. The first silo is the primary (it holds membership);
/// disposing kills them all.
/// </summary>
public sealed class LocalSiloProcesses : IAsyncDisposable
{
    private readonly List<Process> _silos = [];

    private LocalSiloProcesses(string clusterId) => ClusterId = clusterId;

    public string ClusterId { get; }

    public List<int> GatewayPorts { get; } = [];

    /// <summary>Starts <paramref name="count"/> silos and returns once each has printed its ready line.</summary>
    public static async Task<LocalSiloProcesses> StartAsync(int count, int concurrentWorkers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cluster = new LocalSiloProcesses($"bench-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        // The silos prove a key of this cluster's own to each other on the data plane, as a deployment's do.
        var environment = new Dictionary<string, string> { [ChunkDataPlane.KeyKey.Replace(":", "__", StringComparison.Ordinal)] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };
        try
        {
            var primaryPort = 0;
            for (var i = 0; i < count; i++)
            {
                var siloPort = FreeTcpPort();
                var gatewayPort = FreeTcpPort();
                primaryPort = i == 0 ? siloPort : primaryPort;
                string[] args =
                [
                    "silo", "--clustering", "localhost", "--cluster-id", cluster.ClusterId, "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}",
                    "--concurrent-workers", $"{concurrentWorkers}", .. i == 0 ? Array.Empty<string>() : ["--primary-silo-port", $"{primaryPort}"],
                ];
                var silo = StartSelf(args, environment);
                cluster._silos.Add(silo);
                cluster.GatewayPorts.Add(gatewayPort);
                // The primary must be up before the others join it.
                await WaitReadyAsync(silo, timeout, cancellationToken);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ClusterConnectionOptions ClientOptions()
    {
        var options = ClusterConnectionOptions.ParseClientSpec($"localhost:{string.Join(',', GatewayPorts)}");
        options.ClusterId = ClusterId;
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            try
            {
                if (!silo.HasExited)
                {
                    silo.Kill(entireProcessTree: true);
                    await silo.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            silo.Dispose();
        }
        _silos.Clear();
    }

    /// <summary>This executable with <paramref name="args"/> (and <paramref name="environment"/> added): `dotnet orleansring.dll ...` or the apphost.</summary>
    internal static Process StartSelf(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var assembly = typeof(LocalSiloProcesses).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(assembly);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
    }

    private static async Task WaitReadyAsync(Process silo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        _ = DrainAsync(silo.StandardError);
        while (await silo.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith(SiloCommand.ReadyPrefix, StringComparison.Ordinal))
            {
                _ = DrainAsync(silo.StandardOutput);
                return;
            }
        }
        throw new InvalidOperationException($"A benchmark silo exited before it was ready (exit code {(silo.HasExited ? silo.ExitCode : -1)}).");
    }

    // A silo whose pipe fills up would block on its next log line.
    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
