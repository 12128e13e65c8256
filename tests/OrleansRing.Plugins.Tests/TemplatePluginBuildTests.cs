using System.Diagnostics;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

/// <summary>
/// SLOW (about 20-40 s): runs a real `dotnet build` of the attack template, copied out of the repository as a
/// researcher would, against the contract DLL only, then loads the result from a fresh plugins folder. This is the
/// "add an attack without rebuilding OrleansRing" promise, end to end. Filter it out with --filter "Category!=Slow".
/// </summary>
public sealed class TemplatePluginBuildTests
{
    private const string TemplateName = "OrleansRing.Plugins.AttackTemplate";
    private const string ScratchName = "OrleansRing.Plugins.ScratchAttack";

    [Fact(Timeout = 240_000)]
    [Trait("Category", "Slow")]
    public async Task Template_BuiltOutsideTheRepository_LoadsAndRunsItsHook()
    {
        using var temp = new TempFolder();
        // Stop MSBuild's upward search for Directory.* files at the temp root: the build sees only the template.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(temp.Path, file), "<Project />", TestContext.Current.CancellationToken);
        }

        var projectFolder = Path.Combine(temp.Path, "src", ScratchName);
        CopyRenamed(RepositoryPaths.AttackTemplate, projectFolder);
        var pluginsFolder = Path.Combine(temp.Path, "plugins");
        var output = Path.Combine(pluginsFolder, ScratchName);

        var (exitCode, log) = await RunDotnetAsync(
            [
                "build", Path.Combine(projectFolder, ScratchName + ".csproj"),
                "-c", "Release",
                "-o", output,
                $"-p:OrleansRingPluginsAbstractions={typeof(IAttack).Assembly.Location}",
                "--disable-build-servers",
                "-nologo",
            ],
            temp.Path);

        Assert.True(exitCode == 0, $"dotnet build failed ({exitCode}):{Environment.NewLine}{log}");
        Assert.False(File.Exists(Path.Combine(output, "OrleansRing.Plugins.Abstractions.dll")), "the plugin must not ship the contract");

        var catalog = PluginCatalog.Load(pluginsFolder);
        using var attack = catalog.CreateAttack("scratch-attack:factor=3", Catalogs.Inline);
        float[] gradient = [1f, -2f];
        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal(["scratch-attack"], catalog.Plugins.Select(p => p.Name));
        Assert.IsType<PluginLoadContext>(catalog.Plugins[0].LoadContext);
        Assert.Equal([3f, -6f], gradient);
    }

    // What `dotnet new orleansring-attack -n OrleansRing.Plugins.ScratchAttack --attackName scratch-attack` does.
    private static void CopyRenamed(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            var name = Path.GetFileName(file).Replace(TemplateName, ScratchName, StringComparison.Ordinal);
            var text = File.ReadAllText(file)
                .Replace(TemplateName, ScratchName, StringComparison.Ordinal)
                .Replace("example-attack", "scratch-attack", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(destination, name), text);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunDotnetAsync(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may inherit MSBuild settings of the build that launched it; the child build must not.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
