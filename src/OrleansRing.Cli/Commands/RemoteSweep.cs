using System.Globalization;
using System.Net.Http;
using OrleansRing.Api.Client;
using OrleansRing.Api.Contracts;
using OrleansRing.Cli.Output;
using OrleansRing.Results;
using OrleansRing.Sweeps;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `sweep run|status` and `plugins list` through a host's HTTP API (--server): the same file, the same messages
/// (file:line:column), the same tables; the sweep runs and keeps its results on the server.
/// </summary>
public static class RemoteSweep
{
    public static async Task<int> RunAsync(OrleansRingApiClient client, string file, bool retryFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{file}:1:1: cannot read the sweep file: {ex.Message}");
            return OrleansRingCommandLine.BadInput;
        }
        return await CallAsync("sweep run", file, async () =>
        {
            var submitted = await client.SubmitSweepAsync(text, retryFailed, cancellationToken);
            Console.WriteLine($"Sweep {submitted.Id}: {submitted.Experiments} experiments, {(submitted.Attached ? "attached to the existing sweep" : "submitted")}; events at {submitted.EventsUrl}");
            SweepStatusResponse? last = null;
            await foreach (var (_, status) in client.WatchAsync(submitted.Id, cancellationToken))
            {
                if (last is null || last.Done != status.Done || last.State != status.State)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep: {status.Done}/{status.Total} done ({status.Completed} completed, {status.Diverged} diverged, {status.Failed} failed), {status.Running} running{(status.EtaSeconds is { } eta ? $", about {TimeSpan.FromSeconds(eta):hh\\:mm\\:ss} left" : "")}"));
                }
                last = status;
            }
            if (last is null)
            {
                throw new ApiProblemException(0, $"the server sent no status for {submitted.Id}", []);
            }
            SweepTables.PrintState(ToStateDocument(last));
            Console.WriteLine($"{last.State}: {last.Completed} completed, {last.Diverged} diverged, {last.Failed} failed.{(last.Error is null ? "" : " " + last.Error)} Summary: {submitted.StatusUrl}/summary.csv{(last.ReportReady ? $", report: {submitted.StatusUrl}/report/report.html" : "")}");
            return last.State == "completed" ? OrleansRingCommandLine.Success : OrleansRingCommandLine.RunFailed;
        });
    }

    /// <summary>
    /// `run --server`: submits the run's options, follows it to its end, then fetches its result.json into
    /// <paramref name="outDir"/> (default runs/&lt;experiment id&gt;) and writes result.json and metrics.csv there as a
    /// local run would, with the same summary and exit code.
    /// </summary>
    public static Task<int> RunOneAsync(OrleansRingApiClient client, string runMapping, string? outDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return CallAsync("run", "command line", async () =>
        {
            var submitted = await client.SubmitRunAsync(runMapping, cancellationToken);
            Console.WriteLine($"Run {submitted.Id}: {(submitted.Attached ? "attached to the existing run" : "submitted")}; events at {submitted.EventsUrl}");
            SweepStatusResponse? last = null;
            await foreach (var (_, status) in client.WatchAsync(submitted.Id, cancellationToken))
            {
                last = status;
            }
            var experiment = last?.Experiments.SingleOrDefault()
                ?? throw new ApiProblemException(0, $"the server sent no status for {submitted.Id}", []);
            var folder = outDir ?? Path.Combine("runs", experiment.Id);
            RunResultDocument? document = null;
            if (experiment.State is "completed" or "diverged" or "failed")
            {
                var bytes = await client.GetFileAsync(submitted.Id, $"experiments/{experiment.Id}/{ResultFiles.ResultFileName}", cancellationToken);
                var downloaded = Path.Combine(Path.GetTempPath(), $"orleansring-{Guid.NewGuid():N}");
                Directory.CreateDirectory(downloaded);
                try
                {
                    await File.WriteAllBytesAsync(Path.Combine(downloaded, ResultFiles.ResultFileName), bytes, cancellationToken);
                    document = ResultFiles.TryRead(downloaded);
                }
                finally
                {
                    Directory.Delete(downloaded, recursive: true);
                }
            }
            if (document is null)
            {
                await Console.Error.WriteLineAsync($"orleansring run: {experiment.Id} ended {experiment.State} without a result{(experiment.Error is null ? "" : $": {experiment.Error}")}");
                return OrleansRingCommandLine.RunFailed;
            }
            var result = document.Result;
            RunSummary.Print(result, ResultFiles.Write(folder, result));
            return result.State == OrleansRing.Abstractions.ExperimentState.Completed ? OrleansRingCommandLine.Success : OrleansRingCommandLine.RunFailed;
        });
    }

    public static Task<int> StatusAsync(OrleansRingApiClient client, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return CallAsync("sweep status", id, async () =>
        {
            var status = await client.GetStatusAsync(id, cancellationToken);
            SweepTables.PrintState(ToStateDocument(status));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{status.State}{(status.EtaSeconds is { } eta ? $", about {TimeSpan.FromSeconds(eta):hh\\:mm\\:ss} left" : "")}"));
            return OrleansRingCommandLine.Success;
        });
    }

    public static Task<int> ListPluginsAsync(OrleansRingApiClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return CallAsync("plugins list", "", async () =>
        {
            var plugins = await client.GetPluginsAsync(cancellationToken);
            foreach (var group in plugins.GroupBy(p => p.Kind))
            {
                Console.WriteLine(group.Key == "attack" ? "Attacks" : group.Key == "defence" ? "Defences" : group.Key);
                foreach (var plugin in group.OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    var parameters = plugin.Parameters.Count == 0
                        ? "It takes no parameters."
                        : $"Its parameters: {string.Join(", ", plugin.Parameters.Select(p => $"{p.Name} ({p.Type}, default {p.Default})"))}.";
                    Console.WriteLine($"{plugin.Name}: {plugin.Description}{(plugin.Omniscient ? " (omniscient: sees the honest gradients)" : "")} {parameters}");
                }
                Console.WriteLine();
            }
            return OrleansRingCommandLine.Success;
        });
    }

    /// <summary>The status as sweep.json would hold it, so that it prints as `sweep status` prints a local folder.</summary>
    private static SweepStateDocument ToStateDocument(SweepStatusResponse status)
    {
        var keys = status.Experiments.SelectMany(e => e.Settings).GroupBy(s => s.Key)
            .Where(g => g.Select(s => s.Value).Distinct().Count() > 1 || g.Count() < status.Experiments.Count)
            .Select(g => g.Key).ToList();
        return new SweepStateDocument
        {
            Name = status.Name,
            AxisKeys = keys,
            UpdatedAt = DateTimeOffset.UtcNow,
            Experiments = [.. status.Experiments.Select(e => new SweepExperimentRecord
            {
                Id = e.Id,
                Settings = e.Settings,
                State = Enum.TryParse<SweepExperimentState>(e.State, ignoreCase: true, out var state) ? state : SweepExperimentState.Pending,
                Error = e.Error,
                FinalTestAccuracy = e.FinalTestAccuracy,
                WallSeconds = e.WallSeconds,
            })],
        };
    }

    /// <summary>Refusals as the local commands report them: a rejected file line by line (exit 2), the rest in one line (exit 1).</summary>
    private static async Task<int> CallAsync(string command, string file, Func<Task<int>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiProblemException ex) when (ex.Problems.Count > 0)
        {
            foreach (var problem in ex.Problems)
            {
                await Console.Error.WriteLineAsync(new SweepProblem(file, new SourceLocation(problem.Line, problem.Column), problem.Message, problem.Field).ToString());
            }
            return OrleansRingCommandLine.BadInput;
        }
        catch (ApiProblemException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring {command}: the server refused: {ex.Message}");
            return ex.StatusCode is 400 or 401 or 404 or 413 or 415 ? OrleansRingCommandLine.BadInput : OrleansRingCommandLine.RunFailed;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring {command}: the server did not answer: {ex.Message}");
            return OrleansRingCommandLine.RunFailed;
        }
    }
}
