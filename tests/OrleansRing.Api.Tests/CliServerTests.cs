using OrleansRing.Abstractions;
using OrleansRing.Api.Client;
using OrleansRing.Results;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Api.Tests;

/// <summary>`orleansring ... --server URL`: the real command line against the real host, as from a laptop.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class CliServerTests(ApiHost host)
{
    private Dictionary<string, string> Token => new() { [OrleansRingApiClient.TokenEnvironmentVariable] = ApiHost.Token };

    [Fact]
    public async Task Sweep_Run_WithServer_SubmitsFollowsAndPrints_AndASecondRun_Attaches()
    {
        var file = Path.Combine(host.Folder, "cli.yaml");
        await File.WriteAllTextAsync(file, SweepFiles.Tiny("cli"), TestContext.Current.CancellationToken);

        var (exitCode, output, error) = await CliProcess.RunWithEnvironmentAsync(Token, "sweep", "run", file, "--server", host.BaseAddress.AbsoluteUri);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Matches(@"Sweep cli-[0-9a-f]{12}: 2 experiments, submitted", output);
        Assert.Contains("sweep: 2/2 done (2 completed, 0 diverged, 0 failed)", output, StringComparison.Ordinal);
        Assert.Contains("completed: 2 completed, 0 diverged, 0 failed.", output, StringComparison.Ordinal);
        var id = System.Text.RegularExpressions.Regex.Match(output, "Sweep (cli-[0-9a-f]{12})").Groups[1].Value;

        var second = await CliProcess.RunWithEnvironmentAsync(Token, "sweep", "run", file, "--server", host.BaseAddress.AbsoluteUri);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains($"Sweep {id}: 2 experiments, attached to the existing sweep", second.Output, StringComparison.Ordinal);

        var status = await CliProcess.RunWithEnvironmentAsync(Token, "sweep", "status", id, "--server", host.BaseAddress.AbsoluteUri);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("Sweep cli: 2 experiments; 2 completed", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_Run_WithServer_PrintsTheServersProblems_AsFileLineColumn_AndExits2()
    {
        var file = Path.Combine(host.Folder, "cli-bad.yaml");
        await File.WriteAllTextAsync(file, "name: cli-bad\nbase:\n  workers: 2\naxes:\n  atack: [none]\n", TestContext.Current.CancellationToken);

        var (exitCode, _, error) = await CliProcess.RunWithEnvironmentAsync(Token, "sweep", "run", file, "--server", host.BaseAddress.AbsoluteUri);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:5:3: unknown parameter 'atack'. Did you mean 'attack'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithServer_TrainsOnTheHost_AndWritesItsResultLocally_AsALocalRunWould()
    {
        var output = Path.Combine(host.Folder, "cli-run");
        string[] options = ["--workers", "3", "--iterations", "3", "--batch", "8", "--synthetic-train", "192", "--synthetic-test", "32", "--attack", "gradient-ascent", "--attacker-ranks", "1", "--persistence", "off"];

        var (exitCode, stdout, error) = await CliProcess.RunWithEnvironmentAsync(Token, ["run", .. options, "--server", host.BaseAddress.AbsoluteUri, "--out", output]);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{error}");
        Assert.Matches(@"Run run-[0-9a-f]{12}: submitted", stdout);
        var document = ResultFiles.TryRead(output);
        Assert.NotNull(document);
        // The host ran what the flags said, not its defaults (8 workers, 3 epochs, no attack).
        Assert.Equal(3, document.Result.Config.Workers);
        Assert.Equal(3, document.Result.TotalIterations);
        Assert.Equal([1], document.Result.AttackerRanks);
        Assert.Equal(ExperimentState.Completed, document.Result.State);
        Assert.True(File.Exists(Path.Combine(output, ResultFiles.MetricsFileName)));

        var again = await CliProcess.RunWithEnvironmentAsync(Token, ["run", .. options, "--server", host.BaseAddress.AbsoluteUri, "--out", output + "-again"]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("attached to the existing run", again.Output, StringComparison.Ordinal);
        Assert.Equal(document.Result.ParameterHashes, ResultFiles.TryRead(output + "-again")!.Result.ParameterHashes);
    }

    [Fact]
    public async Task Run_WithServer_RefusesLocalOnlyOptions_AndBadValues_WithExit2()
    {
        var local = await CliProcess.RunWithEnvironmentAsync(Token, "run", "--device", "cpu", "--server", host.BaseAddress.AbsoluteUri);
        Assert.Equal(2, local.ExitCode);
        Assert.Contains("do not apply", local.Error, StringComparison.Ordinal);

        var bad = await CliProcess.RunWithEnvironmentAsync(Token, "run", "--attack", "no-such-attack", "--iterations", "1", "--server", host.BaseAddress.AbsoluteUri);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no-such-attack", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_AToken_OrWithAWrongOne_TheCommandLine_SaysSo_AndExits2()
    {
        var none = await CliProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { [OrleansRingApiClient.TokenEnvironmentVariable] = "" }, "plugins", "list", "--server", host.BaseAddress.AbsoluteUri);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains(OrleansRingApiClient.TokenEnvironmentVariable, none.Error, StringComparison.Ordinal);

        var wrong = await CliProcess.RunAsync("plugins", "list", "--server", host.BaseAddress.AbsoluteUri, "--token", "wrong-token-0123456789");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("401 Unauthorized", wrong.Error, StringComparison.Ordinal);

        var right = await CliProcess.RunWithEnvironmentAsync(Token, "plugins", "list", "--server", host.BaseAddress.AbsoluteUri);
        Assert.True(right.ExitCode == 0, right.Error);
        Assert.Contains("gradient-ascent: ", right.Output, StringComparison.Ordinal);
        Assert.Contains("scale (double, default -4)", right.Output, StringComparison.Ordinal);
    }
}
