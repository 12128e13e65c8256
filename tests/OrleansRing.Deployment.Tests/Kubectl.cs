using System.Diagnostics;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Deployment.Tests;

/// <summary>
/// `kubectl kustomize` from PATH (Debian: apt-get install kubernetes-client). Missing, the tests that render skip,
/// unless ORLEANSRING_REQUIRE_KUBECTL is set (CI), when they fail.
/// </summary>
internal static class Kubectl
{
    public const string RequireVariable = "ORLEANSRING_REQUIRE_KUBECTL";
    public const string InstallCommand = "apt-get install -y kubernetes-client";

    public static string? Executable { get; } = Find();

    public static void SkipUnlessInstalled()
    {
        if (Executable is not null)
        {
            return;
        }
        var reason = $"kubectl is not on PATH; install it with: {InstallCommand}";
        if (Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true")
        {
            Assert.Fail($"{RequireVariable} is set but {reason}");
        }
        Assert.Skip(reason);
    }

    /// <summary>The YAML an overlay renders to; a failure quotes kubectl's error.</summary>
    public static string Kustomize(string overlay)
    {
        SkipUnlessInstalled();
        var folder = Path.Combine(RepositoryPaths.Root, "k8s", "overlays", overlay);
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"kubectl kustomize {folder} did not finish in 2 minutes.");
        }
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} exited {process.ExitCode}: {error.Result}");
        return output;
    }

    private static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
