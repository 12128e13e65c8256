using System.Net;
using System.Net.Sockets;
using OrleansRing.Storage;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Cli.Tests;

/// <summary>`blobs list` and `blobs gc` against a folder store seeded directly, as a finished run would have left it.</summary>
public sealed class BlobsCommandTests : IDisposable
{
    private const string Target = "target-run";
    private const string Neighbour = "target-run2";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansring-blobs-{Guid.NewGuid():N}");

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StoreText => $"folder:{_folder}";

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task List_PrintsEachIterationsChunkAndCheckpointCounts()
    {
        var store = new FolderChunkStore(_folder);
        await SeedAsync(store, Target, iterations: [4, 5], ranks: 3);

        var (exit, output, error) = await CliProcess.RunAsync("blobs", "list", "--experiment", Target, "--store", StoreText);

        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        // 3 ranks × 2 phases × (3 − 1) steps = 12 chunks and 3 checkpoints per iteration.
        Assert.Matches(@"│\s*4\s*│\s*12\s*│\s*3\s*│", output);
        Assert.Matches(@"│\s*5\s*│\s*12\s*│\s*3\s*│", output);
        Assert.Matches(@"│\s*total\s*│\s*24\s*│\s*6\s*│", output);
        Assert.Contains("manifest: completed, 6/6 iterations", output);
        Assert.Contains(store.Endpoint, output);
    }

    [Fact]
    public async Task Gc_DeletesEverythingOfTheExperiment_AndLeavesOthersUntouched()
    {
        var store = new FolderChunkStore(_folder);
        await SeedAsync(store, Target, iterations: [4, 5], ranks: 3);
        // An id that starts with the target's: a prefix match without the trailing '/' would take it too.
        await SeedAsync(store, Neighbour, iterations: [0], ranks: 2);
        var neighbourChunks = await store.ListChunksAsync(Neighbour, cancellationToken: Ct);
        var neighbourPayload = await store.GetChunkAsync(neighbourChunks[0], Ct);

        var (exit, output, error) = await CliProcess.RunAsync("blobs", "gc", "--experiment", Target, "--store", StoreText);

        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        Assert.Contains("Removed 31 blobs", output);
        Assert.Contains("24 chunks of 2 iterations, 6 checkpoints, 1 document.", output);
        Assert.Empty(await store.ListChunksAsync(Target, cancellationToken: Ct));
        Assert.Empty(await store.ListCheckpointsAsync(Target, Ct));
        Assert.Null(await store.TryGetDocumentAsync(Target, "manifest.json", Ct));
        Assert.Equal(neighbourChunks, await store.ListChunksAsync(Neighbour, cancellationToken: Ct));
        Assert.Equal(2, (await store.ListCheckpointsAsync(Neighbour, Ct)).Count);
        Assert.Equal(neighbourPayload, await store.GetChunkAsync(neighbourChunks[0], Ct));
        Assert.NotNull(await store.TryGetDocumentAsync(Neighbour, "manifest.json", Ct));

        var (againExit, again, _) = await CliProcess.RunAsync("blobs", "gc", "--experiment", Target, "--store", StoreText);
        Assert.Equal(0, againExit);
        Assert.Contains("Nothing stored", again);
    }

    [Fact]
    public async Task ListAndGc_CountTheChunksInsideBundles()
    {
        var store = new FolderChunkStore(_folder);
        await SeedAsync(store, Target, iterations: [4, 5], ranks: 3, bundled: true);

        var (listExit, list, listError) = await CliProcess.RunAsync("blobs", "list", "--experiment", Target, "--store", StoreText);
        var (gcExit, gc, gcError) = await CliProcess.RunAsync("blobs", "gc", "--experiment", Target, "--store", StoreText);

        Assert.True(listExit == 0, $"exit {listExit}: {listError}\n{list}");
        Assert.Matches(@"│\s*4\s*│\s*12\s*│\s*3\s*│", list);
        Assert.Matches(@"│\s*total\s*│\s*24\s*│\s*6\s*│", list);
        Assert.True(gcExit == 0, $"exit {gcExit}: {gcError}\n{gc}");
        // 2 iterations × (3 senders × 2 phases bundles + 3 checkpoints) + the manifest.
        Assert.Contains("Removed 19 blobs", gc);
        Assert.Contains("24 chunks (24 of them in 12 bundles) of 2 iterations, 6 checkpoints, 1 document.", gc);
        Assert.Empty(await store.ListSentChunksAsync(Target, cancellationToken: Ct));
    }

    [Theory]
    [InlineData("Run1", "'R'")]
    [InlineData("../up", "'.'")]
    public async Task Gc_WithInvalidId_ExitsTwo_WithOneLineReason(string id, string expected)
    {
        var (exit, _, error) = await CliProcess.RunAsync("blobs", "gc", "--experiment", id, "--store", StoreText);

        Assert.Equal(2, exit);
        var reason = error.Trim();
        Assert.Contains("Experiment ids are", reason);
        Assert.Contains(expected, reason);
        Assert.DoesNotContain('\n', reason);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task Gc_WithUnreachableStore_ExitsOne_NamingTheEndpoint()
    {
        var port = ClosedLoopbackPort();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteProcess.AccountName};AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteProcess.AccountName};";

        var (exit, _, error) = await CliProcess.RunAsync("blobs", "gc", "--experiment", Target, "--store", "azure:" + connectionString);

        Assert.Equal(1, exit);
        var reason = error.Trim();
        Assert.Contains($"http://127.0.0.1:{port}/{AzuriteProcess.AccountName}/chunks is not reachable", reason);
        Assert.DoesNotContain(AzuriteProcess.AccountKey, reason);
        Assert.DoesNotContain('\n', reason);
    }

    /// <summary>What a finished run leaves: every step's chunk of the given iterations, a checkpoint per rank and iteration, the manifest.</summary>
    /// <param name="bundled">Store each sender's chunks of a phase as one bundle, as async persistence does.</param>
    private async Task SeedAsync(IChunkStore store, string experimentId, long[] iterations, int ranks, bool bundled = false)
    {
        var payload = new byte[64];
        foreach (var iteration in iterations)
        {
            foreach (var phase in new[] { RingPhase.ScatterReduce, RingPhase.AllGather })
            {
                for (var sender = 0; sender < ranks; sender++)
                {
                    var chunks = new List<BundledChunk>();
                    for (var step = 0; step < ranks - 1; step++)
                    {
                        var key = new ChunkKey(experimentId, iteration, phase, step, sender, (sender + 1) % ranks, (sender - step + ranks) % ranks);
                        var bytes = new byte[64];
                        Random.Shared.NextBytes(bytes);
                        chunks.Add(new BundledChunk(key, bytes));
                        if (!bundled)
                        {
                            await store.PutChunkAsync(key, bytes, Ct);
                        }
                    }
                    if (bundled)
                    {
                        var bundleKey = new ChunkBundleKey(experimentId, iteration, phase, sender);
                        await store.PutChunkBundleAsync(bundleKey, ChunkBundle.Encode(bundleKey, chunks), Ct);
                    }
                }
            }
            for (var rank = 0; rank < ranks; rank++)
            {
                await store.PutCheckpointAsync(new CheckpointKey(experimentId, iteration, rank), payload, Ct);
            }
        }
        var manifest = $$"""{"state":"Completed","totalIterations":{{iterations[^1] + 1}},"metrics":[{{string.Join(",", Enumerable.Repeat("{}", (int)iterations[^1] + 1))}}]}""";
        await store.PutDocumentAsync(experimentId, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest), Ct);
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
