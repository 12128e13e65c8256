using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansRing.TestInfrastructure;

/// <summary>
/// A real Azurite (Azure Storage emulator) for tests: started from <c>azurite</c> on PATH or
/// <c>node_modules/.bin/azurite</c> at the repository root, on free loopback ports, with its data in a fresh
/// temp folder and <c>--skipApiVersionCheck</c> (the Azure SDK in use sends API versions newer than Azurite
/// knows). <see cref="StopAsync"/> kills it, as a crash would; <see cref="RestartAsync"/> brings it back on
/// the same ports and data folder, for "store down for a few seconds" tests. Disposing kills it and deletes
/// the folder.
/// </summary>
/// <remarks>
/// Use <see cref="StartIfInstalledAsync"/> and skip the test with <see cref="NotInstalledReason"/> when it
/// returns null. Setting <c>ORLEANSRING_REQUIRE_AZURITE=1</c> (CI) turns a missing Azurite into a failure
/// instead of a skip, so a broken install step cannot make the suite pass by skipping.
/// </remarks>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string InstallCommand = "npm install -g azurite@3.37.0";
    public const string RequireVariable = "ORLEANSRING_REQUIRE_AZURITE";
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key: public, not a secret.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private const int OutputLinesKept = 40;

    private readonly string _executable;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private bool _disposed;

    private AzuriteProcess(string executable, string dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _executable = executable;
        DataFolder = dataFolder;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The Azurite launcher found, or null.</summary>
    public static string? Executable { get; } = FindExecutable();

    /// <summary>Null when Azurite is installed; otherwise why tests that need it are skipped and how to install it.</summary>
    public static string? NotInstalledReason => Executable is null
        ? $"Azurite is not installed: no 'azurite' on PATH and no node_modules/.bin/azurite at the repository root. Install it with: {InstallCommand}"
        : null;

    /// <summary>True when <c>ORLEANSRING_REQUIRE_AZURITE</c> is 1 or true: a missing Azurite is then an error.</summary>
    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true" or "True" or "TRUE";

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Where Azurite keeps its data; survives <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public string DataFolder { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The blob service endpoint, e.g. http://127.0.0.1:PORT/devstoreaccount1.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>A connection string with explicit blob, queue and table endpoints on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};"
        + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Starts Azurite and waits until its blob port accepts connections; throws if it is not installed or does not come up.</summary>
    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Executable ?? throw new InvalidOperationException(NotInstalledReason);
        var ports = FreeLoopbackPorts(3);
        var dataFolder = Directory.CreateTempSubdirectory("orleansring-azurite-").FullName;
        var azurite = new AzuriteProcess(executable, dataFolder, ports[0], ports[1], ports[2]);
        try
        {
            await azurite.LaunchAsync(cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// <see cref="StartAsync"/> when Azurite is installed; null when it is not (skip with <see cref="NotInstalledReason"/>),
    /// unless <see cref="IsRequired"/>, when a missing Azurite throws.
    /// </summary>
    public static async Task<AzuriteProcess?> StartIfInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (Executable is null)
        {
            return IsRequired
                ? throw new InvalidOperationException($"{RequireVariable} is set but {NotInstalledReason}")
                : null;
        }
        return await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills Azurite (no graceful shutdown, like a crashed store) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }
        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIGTERM, as an orderly shutdown: Azurite writes its table and blob metadata (which it otherwise saves only every
    /// 5 s) before exiting, so a later <see cref="RestartAsync"/> finds tables created just before. Killed after 15 s.
    /// </summary>
    public async Task StopGracefullyAsync()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            await StopAsync().ConfigureAwait(false);
            return;
        }
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("kill did not start"))
        {
            await signal.WaitForExitAsync().ConfigureAwait(false);
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // It did not stop in time: fall through to the kill.
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Starts Azurite again on the same ports and data folder, and waits until it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await StopAsync().ConfigureAwait(false);
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: it is a temp folder.
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = DataFolder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            "--location", DataFolder,
            "--skipApiVersionCheck", "--silent", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not run {_executable} (is Node.js on PATH?): {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Give the reader a moment to collect the last lines that explain the exit.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Azurite ({_executable}) exited with code {process.ExitCode} before its blob port {BlobPort} accepted connections. Output:{Environment.NewLine}{Output}");
            }
            if (await AcceptsConnectionsAsync(BlobPort, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (deadline.Elapsed > StartTimeout)
            {
                await StopAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"Azurite ({_executable}) did not accept connections on 127.0.0.1:{BlobPort} within {StartTimeout.TotalSeconds:0} s. Output:{Environment.NewLine}{Output}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    private string Output => string.Join(Environment.NewLine, _output);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Ports the OS hands out for 127.0.0.1:0, all held at once so that they differ.</summary>
    private static int[] FreeLoopbackPorts(int count)
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
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static string? FindExecutable()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "azurite.cmd", "azurite.exe" } : ["azurite"];
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        try
        {
            folders.Add(Path.Combine(RepositoryPaths.Root, "node_modules", ".bin"));
        }
        catch (InvalidOperationException)
        {
            // Not inside a checkout: PATH only.
        }
        foreach (var folder in folders)
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
