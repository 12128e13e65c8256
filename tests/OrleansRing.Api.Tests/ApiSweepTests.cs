using System.Net;
using System.Text.Json;
using OrleansRing.Api.Client;
using OrleansRing.Api.Contracts;
using OrleansRing.Results;

namespace OrleansRing.Api.Tests;

[Collection(ApiHostCollection.Name)]
public sealed class ApiSweepTests(ApiHost host)
{
    [Fact]
    public async Task A_BadSweepFile_Is400_ProblemDetails_WithLineColumnAndField_AndRunsNothing()
    {
        using var client = host.Authorized();
        using var response = await client.PostYamlAsync("api/sweeps", "name: bad-key\nbase:\n  workers: 2\naxes:\n  atack: [none]\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        var entry = Assert.Single(problem.GetProperty(SweepProblems.ProblemsExtension).EnumerateArray());
        Assert.Equal(5, entry.GetProperty("line").GetInt32());
        Assert.Equal(3, entry.GetProperty("column").GetInt32());
        Assert.Equal("atack", entry.GetProperty("field").GetString());
        // The command line's message, word for word.
        Assert.StartsWith("unknown parameter 'atack'. Did you mean 'attack'?", entry.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("line 5, column 3 (atack)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoFolder("bad-key");
    }

    [Fact]
    public async Task A_Plugin_TheClusterDoesNotHave_IsReported_AtItsLine_WithTheFieldAttack()
    {
        using var client = host.Authorized();
        using var response = await client.PostYamlAsync("api/sweeps", SweepFiles.Tiny("bad-plugin", attacks: "[none, no-such-attack]"));

        await AssertRefusedAsync(response, "bad-plugin", "attack", 11, "no-such-attack");
    }

    [Fact]
    public async Task Data_OutsideTheHostsDataFolder_IsRefused_WithTheFieldData()
    {
        using var client = host.Authorized();
        using var response = await client.PostYamlAsync("api/sweeps", "name: bad-data\nbase:\n  workers: 2\naxes:\n  data: [synthetic, ../../etc]\n");

        await AssertRefusedAsync(response, "bad-data", "data", 5, "outside this host's data folder");
    }

    [Fact]
    public async Task A_SweepInJson_IsParsedLikeYaml_AndABadValue_NamesItsField()
    {
        using var client = host.Authorized();
        using var response = await client.PostJsonTextAsync("api/sweeps", """
            {"name": "bad-json",
             "base": {"workers": "two"}}
            """);

        await AssertRefusedAsync(response, "bad-json", "workers", 2, "workers: ");
    }

    [Fact]
    public async Task A_TinySweep_Progresses_OverServerSentEvents_AndItsResultsAndFigures_CanBeFetched_AndResubmitting_AttachesWithoutRerunning()
    {
        var ct = TestContext.Current.CancellationToken;
        var text = SweepFiles.Tiny("tiny", iterations: 6);
        using var http = host.Authorized();
        using var api = new OrleansRingApiClient(host.BaseAddress, ApiHost.Token);

        using var created = await http.PostYamlAsync("api/sweeps", text);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var submitted = await created.ReadAsync<SubmissionResponse>();
        Assert.StartsWith("tiny-", submitted.Id, StringComparison.Ordinal);
        Assert.False(submitted.Attached);
        Assert.Equal(2, submitted.Experiments);
        Assert.Equal($"/api/sweeps/{submitted.Id}", created.Headers.Location?.OriginalString);

        // The same file while it runs: the same sweep, not a second one.
        var again = await api.SubmitSweepAsync(text, ct);
        Assert.Equal(submitted.Id, again.Id);
        Assert.True(again.Attached);

        var events = new List<(string Event, SweepStatusResponse Status)>();
        await foreach (var item in api.WatchAsync(submitted.Id, ct))
        {
            events.Add(item);
        }
        Assert.Contains(events, e => e.Event == "progress" && e.Status.State == "running" && e.Status.Done < 2);
        var (lastEvent, final) = events[^1];
        Assert.Equal("end", lastEvent);
        Assert.Equal("completed", final.State);
        Assert.Equal(2, final.Done);
        Assert.Equal(0, final.Failed);
        Assert.True(final.ReportReady);
        Assert.Equal(final.Done, events.Select(e => e.Status.Done).Max());
        Assert.True(events.Select(e => e.Status.Done).SequenceEqual(events.Select(e => e.Status.Done).Order()), "done never goes back");

        // Results: summary.csv, each experiment's result.json, metrics.csv and timeline, the report's figures.
        var summary = await http.GetStringAsync($"api/sweeps/{submitted.Id}/summary.csv", ct);
        Assert.Equal(3, summary.Trim().Split('\n').Length);
        var stamps = new Dictionary<string, DateTime>();
        foreach (var experiment in final.Experiments)
        {
            var result = JsonDocument.Parse(await http.GetStringAsync($"api/sweeps/{submitted.Id}/experiments/{experiment.Id}/result.json", ct)).RootElement;
            Assert.Equal(ResultFiles.Schema, result.GetProperty("schema").GetString());
            Assert.Equal(experiment.Id, result.GetProperty("result").GetProperty("config").GetProperty("experimentId").GetString());
            var metrics = await http.GetStringAsync($"api/sweeps/{submitted.Id}/experiments/{experiment.Id}/metrics.csv", ct);
            Assert.StartsWith("iteration,", metrics, StringComparison.Ordinal);
            Assert.Equal(1 + 6, metrics.Trim().Split('\n').Length);
            var timeline = await http.GetStringAsync($"api/sweeps/{submitted.Id}/experiments/{experiment.Id}/timeline.json", ct);
            Assert.Contains("traceEvents", timeline, StringComparison.Ordinal);
            stamps[experiment.Id] = File.GetLastWriteTimeUtc(Path.Combine(host.ResultsFolder, submitted.Id, "experiments", experiment.Id, ResultFiles.ResultFileName));
        }
        Assert.True(final.Figures.Count >= 3, string.Join(", ", final.Figures));
        foreach (var figure in final.Figures)
        {
            var png = await http.GetByteArrayAsync($"api/sweeps/{submitted.Id}/report/{figure}", ct);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        Assert.Contains("<html", await http.GetStringAsync($"api/sweeps/{submitted.Id}/report/report.html", ct), StringComparison.OrdinalIgnoreCase);
        using var escape = await http.GetAsync($"api/sweeps/{submitted.Id}/report/..%2Fsweep.json", ct);
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);

        // Finished: the same grid again (here written as JSON) attaches and runs nothing.
        var json = """
            {"name": "tiny",
             "base": {"workers": 2, "iterations": 6, "batch": 16, "synthetic-train": 256, "synthetic-test": 64, "eval-interval": 2, "persistence": "off"},
             "axes": {"attack": ["none", "gradient-flipping"]}}
            """;
        using var resubmitted = await http.PostJsonTextAsync("api/sweeps", json);
        Assert.Equal(HttpStatusCode.OK, resubmitted.StatusCode);
        var attached = await resubmitted.ReadAsync<SubmissionResponse>();
        Assert.Equal(submitted.Id, attached.Id);
        Assert.True(attached.Attached);
        var after = await api.GetStatusAsync(submitted.Id, ct);
        Assert.Equal("completed", after.State);
        foreach (var (id, stamp) in stamps)
        {
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(host.ResultsFolder, submitted.Id, "experiments", id, ResultFiles.ResultFileName)));
        }
        Assert.Single(Directory.EnumerateDirectories(host.ResultsFolder, "tiny-*"));
    }

    [Fact]
    public async Task A_Run_IsOneExperiment_FromTheRunCommandsOptions_AndItsResultIsServed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = host.Authorized();
        using var list = await http.PostJsonTextAsync("api/runs", """{"workers": [2, 3]}""");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        var problem = Assert.Single((await list.ReadJsonAsync()).GetProperty(SweepProblems.ProblemsExtension).EnumerateArray());
        Assert.Equal("workers", problem.GetProperty("field").GetString());
        Assert.Contains("a run takes one value", problem.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var created = await http.PostJsonTextAsync("api/runs", """{"workers": 3, "iterations": 2, "batch": 8, "synthetic-train": 96, "synthetic-test": 32, "persistence": "off"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await created.ReadAsync<SubmissionResponse>();
        Assert.StartsWith("run-", run.Id, StringComparison.Ordinal);
        Assert.Equal("run", run.Kind);
        Assert.Equal($"/api/runs/{run.Id}", run.StatusUrl);
        using var api = new OrleansRingApiClient(host.BaseAddress, ApiHost.Token);
        await foreach (var _ in api.WatchAsync(run.Id, ct))
        {
        }
        var status = await http.GetAsync($"api/runs/{run.Id}", ct);
        Assert.Equal("completed", (await status.ReadAsync<SweepStatusResponse>()).State);
        var result = JsonDocument.Parse(await http.GetStringAsync($"api/runs/{run.Id}/result.json", ct)).RootElement.GetProperty("result");
        Assert.Equal(3, result.GetProperty("config").GetProperty("workers").GetInt32());
        Assert.Equal(2, result.GetProperty("iterations").GetArrayLength());
        Assert.StartsWith("iteration,", await http.GetStringAsync($"api/runs/{run.Id}/metrics.csv", ct), StringComparison.Ordinal);
    }

    /// <summary>A 400 with exactly one problem, at <paramref name="line"/>, about <paramref name="field"/>; and no sweep folder.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, string sweepName, string field, int line, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var entry = Assert.Single((await response.ReadJsonAsync()).GetProperty(SweepProblems.ProblemsExtension).EnumerateArray());
        Assert.Equal(field, entry.GetProperty("field").GetString());
        Assert.Equal(line, entry.GetProperty("line").GetInt32());
        Assert.Contains(message, entry.GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertNoFolder(sweepName);
    }

    private void AssertNoFolder(string sweepName) =>
        Assert.False(Directory.Exists(host.ResultsFolder) && Directory.EnumerateDirectories(host.ResultsFolder, sweepName + "*").Any(), $"a folder for {sweepName} was created");
}
