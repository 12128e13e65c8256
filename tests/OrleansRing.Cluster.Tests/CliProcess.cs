using System.Diagnostics;

namespace OrleansRing.Cluster.Tests;

/// <summary>Runs the real `orleansring` entry point as a child process to its end, killing it past a time limit.</summary>
internal static class CliProcess
{
    public static string CliPath
    {
        get
        {
            var cli = Path.Combine(AppContext.BaseDirectory, "orleansring.dll");
            return File.Exists(cli)
                ? cli
                : throw new FileNotFoundException($"The CLI build output {cli} is missing; build tests/OrleansRing.Cluster.Tests.");
        }
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>Runs to the end; killed past <paramref name="timeout"/> (a <see cref="TimeoutException"/>) or when <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] args)
    {
        using var process = Process.Start(StartInfo(args, environment)) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // Never leave a training process behind, whatever ended the wait.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"orleansring {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s and was killed. stderr:{Environment.NewLine}{Tail(await error)}{Environment.NewLine}stdout:{Environment.NewLine}{Tail(await output)}");
        }
        return (process.ExitCode, await output, await error);
    }

    public static string Tail(string text, int lines = 40)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
