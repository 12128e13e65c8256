using System.Net;
using System.Text;
using OrleansRing.Api.Client;
using OrleansRing.Api.Contracts;

namespace OrleansRing.Api.Tests;

[Collection(ApiHostCollection.Name)]
public sealed class ApiLimitTests(ApiHost host)
{
    [Fact]
    public async Task A_Grid_LargerThanTheLimit_IsRefused_WithItsCount_AndRunsNothing()
    {
        using var client = host.Authorized();
        var text = SweepFiles.Tiny("too-big", attacks: "[none, gradient-flipping, gradient-ascent, label-flipping]") + "\n  seed: [1, 2, 3, 4]\n";

        using var response = await client.PostYamlAsync("api/sweeps", text);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString();
        Assert.Contains($"the grid expands to 16 experiments, more than the limit of {ApiHost.MaxExperiments}", detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host.ResultsFolder) && Directory.EnumerateDirectories(host.ResultsFolder, "too-big*").Any());
    }

    [Fact]
    public async Task A_Body_LargerThanTheLimit_Is413_AndAnUploadedAssembly_Is415()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = host.Authorized();
        var padded = SweepFiles.Tiny("padded") + "\n# " + new string('x', (int)ApiHost.MaxRequestBytes) + "\n";
        using var large = await client.PostYamlAsync("api/sweeps", padded);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains($"{ApiHost.MaxRequestBytes:N0} bytes", (await large.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Plugins come only from the silo's folder: no assembly is taken, whatever the path.
        var pluginsBefore = Directory.GetFiles(Path.GetDirectoryName(typeof(ApiLimitTests).Assembly.Location)!, "*.dll").Length;
        using var assembly = new ByteArrayContent([0x4d, 0x5a, 0x90, 0x00]);
        assembly.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var asSweep = await client.PostAsync("api/sweeps", assembly, ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asSweep.StatusCode);
        Assert.Contains("Plugin assemblies are never accepted", (await asSweep.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var asPlugin = await client.PostAsync("api/plugins", assembly, ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, asPlugin.StatusCode);
        Assert.Equal(pluginsBefore, Directory.GetFiles(Path.GetDirectoryName(typeof(ApiLimitTests).Assembly.Location)!, "*.dll").Length);
    }

    [Fact]
    public async Task Sweeps_PastTheLimitRunningAtOnce_Are429_AndCancelling_StopsTheirExperimentsOnTheCluster()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = host.Authorized();
        using var api = new OrleansRingApiClient(host.BaseAddress, ApiHost.Token);
        // Long enough never to finish during the test: only cancelling ends them.
        var slow = Enumerable.Range(0, ApiHost.MaxActiveSweeps + 1).Select(i => SweepFiles.Tiny($"slow-{i}", iterations: 100_000, attacks: "[none]")).ToList();
        var ids = new List<string>();
        for (var i = 0; i < ApiHost.MaxActiveSweeps; i++)
        {
            ids.Add((await api.SubmitSweepAsync(slow[i], ct)).Id);
        }

        using var refused = await http.PostYamlAsync("api/sweeps", slow[^1]);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains($"{ApiHost.MaxActiveSweeps} sweeps are running in this host", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.EnumerateDirectories(host.ResultsFolder, $"slow-{ApiHost.MaxActiveSweeps}-*").Any());

        // Wait until the first one's experiment is training, then cancel both.
        await foreach (var (_, status) in api.WatchAsync(ids[0], ct))
        {
            if (status.Experiments.Any(e => e.IterationsCompleted > 0))
            {
                break;
            }
        }
        foreach (var id in ids)
        {
            var cancelled = await api.CancelAsync(id, ct);
            Assert.Equal("cancelled", cancelled.State);
            Assert.Equal(0, cancelled.Running);
        }

        // The coordinator stopped too: submitting the sweep again attaches to an experiment that ended "cancelled".
        var resumed = await api.SubmitSweepAsync(slow[0], ct);
        Assert.Equal(ids[0], resumed.Id);
        Assert.True(resumed.Attached);
        SweepStatusResponse? last = null;
        await foreach (var (_, status) in api.WatchAsync(resumed.Id, ct))
        {
            last = status;
        }
        var experiment = Assert.Single(last!.Experiments);
        Assert.Equal("failed", experiment.State);
        Assert.StartsWith("cancelled: requested over the API", experiment.Error, StringComparison.Ordinal);

        // Asked to retry failures, the same sweep runs its cancelled experiment again, from scratch.
        using var badRetry = await http.PostYamlAsync("api/sweeps?retryFailed=maybe", slow[0]);
        Assert.Equal(HttpStatusCode.BadRequest, badRetry.StatusCode);
        Assert.Contains("retryFailed must be true or false, not 'maybe'", (await badRetry.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retried = await api.SubmitSweepAsync(slow[0], retryFailed: true, ct);
        Assert.Equal(ids[0], retried.Id);
        await foreach (var (_, status) in api.WatchAsync(retried.Id, ct))
        {
            Assert.Equal("running", status.State);
            if (status.Experiments.Any(e => e.State == "running" && e.IterationsCompleted > 0))
            {
                break;
            }
        }
        Assert.Equal("cancelled", (await api.CancelAsync(retried.Id, ct)).State);

        // A slot is free again: the third is accepted now.
        var third = await api.SubmitSweepAsync(slow[^1], ct);
        Assert.False(third.Attached);
        Assert.Equal("cancelled", (await api.CancelAsync(third.Id, ct)).State);
    }
}
