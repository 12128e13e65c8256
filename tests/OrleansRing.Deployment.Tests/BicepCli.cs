using System.Diagnostics;
using System.Reflection;

namespace OrleansRing.Deployment.Tests;

/// <summary>The Bicep CLI that restore downloaded (package Azure.Bicep.CommandLine.linux-x64); Linux x64 only.</summary>
internal static class BicepCli
{
    public static string Path { get; } =
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    /// <summary>`bicep build FILE --stdout`: the ARM template and what the compiler wrote to stderr (warnings).</summary>
    public static (int ExitCode, string Template, string Diagnostics) Build(string file)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "The Bicep CLI package referenced is the linux-x64 one.");
        if (!File.Exists(Path))
        {
            Assert.Fail($"The Bicep CLI is not at {Path}; restore tests/OrleansRing.Deployment.Tests.");
        }
        if (OperatingSystem.IsLinux())
        {
            // NuGet may extract it without the execute bit.
            File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("build");
        start.ArgumentList.Add(file);
        start.ArgumentList.Add("--stdout");
        // No telemetry, no update check: the CLI must work offline.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var diagnostics = process.StandardError.ReadToEndAsync();
        var template = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            throw new TimeoutException($"bicep build {file} did not finish in 3 minutes.");
        }
        return (process.ExitCode, template, diagnostics.Result);
    }
}
