using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansRing.Cluster.Tests;

/// <summary>
/// One `orleansring silo` child process: its stdout and stderr lines are kept for assertions and failure
/// messages, <see cref="WaitForReadyAsync"/> waits for its "silo ready" line, and disposing kills it.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private const int LinesKept = 5000;
    private const string ReadyPrefix = "silo ready: ";

    // Silos still running when the test host exits without disposing them (a crash, a cancelled run): killed then.
    private static readonly ConcurrentDictionary<SiloProcess, bool> s_running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        Name = name;
        Arguments = args;
        _process = new Process { StartInfo = CliProcess.StartInfo(["silo", .. args], environment), EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Keep(_stdout, line);
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    _ready.TrySetResult(line[ReadyPrefix.Length..]);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Keep(_stderr, line);
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready."));
    }

    public string Name { get; }

    public IReadOnlyList<string> Arguments { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What followed "silo ready: ", e.g. "127.0.0.1:11111@123 gateway 30000".</summary>
    public string? ReadyLine => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public IReadOnlyList<string> StandardError => [.. _stderr];

    static SiloProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var silo in s_running.Keys)
        {
            silo.KillAsync().GetAwaiter().GetResult();
        }
    };

    public static SiloProcess Start(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var silo = new SiloProcess(name, args, environment);
        silo._process.Start();
        s_running[silo] = true;
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    public async Task<string> WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _ready.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no '{ReadyPrefix}' line within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Describe()}");
        }
        catch (InvalidOperationException ex)
        {
            // Let the readers collect the last lines that explain the exit.
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}{Describe()}", ex);
        }
    }

    /// <summary>SIGTERM, as Kubernetes or systemd would send, then waits for the exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]) ?? throw new InvalidOperationException("kill did not start"))
        {
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s of SIGTERM.{Environment.NewLine}{Describe()}");
        }
        return _process.ExitCode;
    }

    /// <summary>The last lines of both streams, for failure messages.</summary>
    public string Describe(int lines = 30)
    {
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        var stderr = _stderr.ToArray();
        var stdout = _stdout.ToArray();
        return $"--- {Name} (pid {_process.Id}, {state}; orleansring silo {string.Join(' ', Arguments)}){Environment.NewLine}"
            + $"stdout:{Environment.NewLine}{string.Join(Environment.NewLine, stdout.Skip(Math.Max(0, stdout.Length - 5)))}{Environment.NewLine}"
            + $"stderr (last {lines} lines):{Environment.NewLine}{string.Join(Environment.NewLine, stderr.Skip(Math.Max(0, stderr.Length - lines)))}";
    }

    /// <summary>SIGKILL (as kill -9): no graceful shutdown, the silo's membership entry stays "active" until others vote it dead.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        s_running.TryRemove(this, out _);
    }

    /// <summary>Kills the process (see <see cref="KillAsync"/>) and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string line)
    {
        lines.Enqueue(line);
        while (lines.Count > LinesKept && lines.TryDequeue(out _))
        {
        }
    }
}
