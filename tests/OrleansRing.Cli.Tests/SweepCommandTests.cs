using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansRing.Results;
using OrleansRing.Sweeps;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Cli.Tests;

/// <summary>`orleansring sweep run` and `report` as a user runs them: a killed client, a rerun, the report in a browser.</summary>
public sealed partial class SweepCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansring-sweep-cli-{Guid.NewGuid():N}");

    private string Out => Path.Combine(_folder, "out");

    private string[] Arguments(string sweepFile, params string[] extra) =>
        ["sweep", "run", sweepFile, "--out", Out, "--chunk-store", $"folder:{Path.Combine(_folder, "chunks")}", "--max-parallel", "1", "--quiet", .. extra];

    [Fact]
    public async Task Killing_TheClient_MidSweep_AndRerunning_FinishesIt_WithoutRedoingFinishedExperiments()
    {
        Directory.CreateDirectory(_folder);
        var sweepFile = Path.Combine(_folder, "kill.yaml");
        await File.WriteAllTextAsync(sweepFile, """
            name: kill
            base:
              workers: 2
              iterations: 8
              batch: 16
              synthetic-train: 256
              synthetic-test: 64
              eval-interval: 4
            axes:
              attack: [none, gradient-flipping, gradient-ascent, label-flipping]
            """, TestContext.Current.CancellationToken);

        // First client: killed (SIGKILL, no chance to tidy up) once one experiment has finished.
        var finishedBeforeKill = await RunUntilKilledAsync(Arguments(sweepFile, "--no-report"));
        Assert.NotEmpty(finishedBeforeKill);
        var stamps = finishedBeforeKill.ToDictionary(id => id, id => File.GetLastWriteTimeUtc(ResultPath(id)));

        var (exitCode, output, error) = await CliProcess.RunAsync(Arguments(sweepFile));

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var skipped = int.Parse(AlreadyFinished().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(skipped >= finishedBeforeKill.Count, output);
        foreach (var (id, stamp) in stamps)
        {
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(ResultPath(id)));
        }
        var state = JsonSerializer.Deserialize<SweepStateDocument>(await File.ReadAllTextAsync(Path.Combine(Out, SweepFolder.StateFileName), TestContext.Current.CancellationToken), ResultFiles.JsonOptions)!;
        Assert.Equal(4, state.Experiments.Count);
        // Gradient ascent by one of two workers makes the ring ascend: it may end diverged, which is finished too.
        Assert.All(state.Experiments, e => Assert.True(e.State is SweepExperimentState.Completed or SweepExperimentState.Diverged, $"{e.Id}: {e.State} {e.Error}"));
        Assert.All(state.Experiments, e => Assert.True(File.Exists(ResultPath(e.Id)), e.Id));
        Assert.Equal(1 + 4, (await File.ReadAllLinesAsync(Path.Combine(Out, SweepFolder.SummaryFileName), TestContext.Current.CancellationToken)).Length);

        // The report it drew renders in a browser with every figure decoded.
        var html = Path.Combine(Out, "report", "report.html");
        Assert.True(File.Exists(html), output);
        var figures = Directory.GetFiles(Path.Combine(Out, "report"), "*.png").Length;
        Assert.Equal(4, figures); // training accuracy, training loss, heatmap, worst case
        Assert.Equal(figures, Directory.GetFiles(Path.Combine(Out, "report"), "*.svg").Length);
        if (HeadlessChromium.Executable is null)
        {
            Assert.False(HeadlessChromium.Required, "ORLEANSRING_REQUIRE_CHROMIUM=1 but Chromium is not installed (apt-get install chromium).");
            Assert.Skip("Chromium is not installed (apt-get install chromium); the report's rendering was not checked.");
        }
        var dom = await HeadlessChromium.DumpDomAsync(new Uri(html).AbsoluteUri, TestContext.Current.CancellationToken);
        Assert.Contains($"data-figures-loaded=\"{figures}\"", dom, StringComparison.Ordinal);
        Assert.Equal(figures, FigureElement().Matches(dom).Count);
        Assert.Contains("Each attack lowers test accuracy", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Bad_SweepFile_ExitsWith2_NamingLineAndColumn_AndRunsNothing()
    {
        Directory.CreateDirectory(_folder);
        var sweepFile = Path.Combine(_folder, "bad.yaml");
        await File.WriteAllTextAsync(sweepFile, "name: bad\nbase:\n  workers: 2\naxes:\n  atack: [none]\n", TestContext.Current.CancellationToken);

        var (exitCode, _, error) = await CliProcess.RunAsync(Arguments(sweepFile));

        Assert.Equal(2, exitCode);
        Assert.Contains($"{sweepFile}:5:3: unknown parameter 'atack'. Did you mean 'attack'?", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task A_Silo_WithoutPluginsFolder_RefusesAttackSweep_AtTheAttackLine_AndRunsNothing()
    {
        Directory.CreateDirectory(_folder);
        var sweepFile = Path.Combine(_folder, "attack.yaml");
        await File.WriteAllTextAsync(sweepFile, "name: attack\nbase:\n  workers: 2\naxes:\n  attack: [none, gradient-flipping]\n", TestContext.Current.CancellationToken);
        var missing = Path.Combine(_folder, "no-such-plugins");

        var (exitCode, _, error) = await CliProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["ORLEANSRING_PLUGINS"] = missing }, Arguments(sweepFile));

        Assert.Equal(2, exitCode);
        Assert.Matches($@"{Regex.Escape(sweepFile)}:5:\d+: plugins: ORLEANSRING_PLUGINS is '{Regex.Escape(missing)}', which is not a folder\.", error);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Report_OfATimelineFile_DrawsOneRowPerWorker_AsPngAndSvg()
    {
        Directory.CreateDirectory(_folder);
        var timeline = Path.Combine(_folder, "t.json");
        var run = await CliProcess.RunAsync("run", "--workers", "3", "--iterations", "2", "--synthetic-train", "96", "--synthetic-test", "32", "--batch", "8", "--persistence", "off", "--quiet", "--out", Path.Combine(_folder, "run"), "--timeline", timeline);
        Assert.True(run.ExitCode == 0, run.Error);

        var (exitCode, output, error) = await CliProcess.RunAsync("report", timeline);

        Assert.True(exitCode == 0, error);
        Assert.Equal([Path.Combine(_folder, "t.png"), Path.Combine(_folder, "t.svg")], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var svg = await File.ReadAllTextAsync(Path.Combine(_folder, "t.svg"), TestContext.Current.CancellationToken);
        Assert.All(new[] { "rank 0", "rank 1", "rank 2" }, label => Assert.Contains(label, svg, StringComparison.Ordinal));
        Assert.DoesNotContain("rank 3", svg, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_folder, "t.png")).Length > 10_000);
    }

    private string ResultPath(string id) => Path.Combine(Out, "experiments", id, ResultFiles.ResultFileName);

    private async Task<List<string>> RunUntilKilledAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "orleansring.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var folder = new SweepFolder(Out);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        try
        {
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
                SweepStateDocument? state;
                try
                {
                    state = folder.TryLoadState();
                }
                catch (InvalidDataException)
                {
                    continue;
                }
                var finished = state?.Experiments.Where(e => e.State == SweepExperimentState.Completed).Select(e => e.Id).ToList() ?? [];
                if (finished.Count >= 1 && finished.Count < state!.Experiments.Count)
                {
                    return finished;
                }
            }
            throw new InvalidOperationException(process.HasExited ? $"the sweep ended (exit {process.ExitCode}) before it could be killed mid-way" : "no experiment finished in 5 minutes");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    [GeneratedRegex(@"\((\d+) already finished before this run\)")]
    private static partial Regex AlreadyFinished();

    [GeneratedRegex("<figure class=\"figure\"><img ")]
    private static partial Regex FigureElement();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
