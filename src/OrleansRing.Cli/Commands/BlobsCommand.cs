using System.CommandLine;
using System.Text.Json;
using OrleansRing.Hosting;
using OrleansRing.Storage;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `orleansring blobs list|gc --experiment ID [--store folder:PATH|azure:...]`: what an experiment left in the chunk
/// store, and deleting all of it. The default store is the silo's (<see cref="ChunkStoreConfiguration.DefaultFolder"/>).
/// Exit codes: 0 done, 1 the store failed or is unreachable, 2 a bad id or store text.
/// </summary>
public static class BlobsCommand
{
    // CoordinatorManifest.DocumentName (internal to OrleansRing.Grains): the one document a run writes.
    private const string ManifestDocument = "manifest.json";

    public static Command Create() => new("blobs", "Inspect or delete what experiments left in the chunk store.")
    {
        CreateList(),
        CreateGc(),
    };

    private static Command CreateList()
    {
        var (experiment, store) = CommonOptions();
        var command = new Command("list", "Print an experiment's iterations with their chunk and checkpoint counts.") { experiment, store };
        command.SetAction((parse, cancellationToken) =>
            RunAsync("list", parse.GetValue(experiment)!, parse.GetValue(store), ListAsync, cancellationToken));
        return command;
    }

    private static Command CreateGc()
    {
        var (experiment, store) = CommonOptions();
        var command = new Command("gc", "Delete every chunk, checkpoint and document of an experiment, and print what was removed.") { experiment, store };
        command.SetAction((parse, cancellationToken) =>
            RunAsync("gc", parse.GetValue(experiment)!, parse.GetValue(store), GcAsync, cancellationToken));
        return command;
    }

    private static (Option<string> Experiment, Option<string?> Store) CommonOptions() =>
    (
        new Option<string>("--experiment", "-e") { Description = "The experiment id.", Required = true },
        new Option<string?>("--store") { Description = $"The chunk store: folder:PATH or azure:CONNECTION_STRING (or azure:https://ACCOUNT.blob.core.windows.net/CONTAINER). Default: the silo's default, folder:{ChunkStoreConfiguration.DefaultFolder}." }
    );

    private static async Task<int> RunAsync(string verb, string experimentId, string? storeText, Func<IChunkStore, string, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        if (!ExperimentIds.IsValid(experimentId, out var idProblem))
        {
            await Console.Error.WriteLineAsync($"orleansring blobs {verb}: --experiment: {idProblem}");
            return OrleansRingCommandLine.BadInput;
        }
        ChunkStoreOptions options;
        IChunkStore store;
        try
        {
            options = storeText is null
                ? new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = ChunkStoreConfiguration.DefaultFolder }
                : ChunkStoreOptions.Parse(storeText);
            store = ChunkStoreFactory.Create(options);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring blobs {verb}: --store: {ErrorText.OneLine(ex)}");
            return OrleansRingCommandLine.BadInput;
        }
        try
        {
            // A down Azure store would otherwise cost the whole retry limit (30 s) before saying so. A folder
            // store is not probed: the probe would create the folder, and a missing folder simply holds nothing.
            if (options.Kind == ChunkStoreKind.Azure)
            {
                await store.EnsureReachableAsync(cancellationToken);
            }
            await action(store, experimentId, cancellationToken);
            return OrleansRingCommandLine.Success;
        }
        catch (ChunkStoreException ex)
        {
            await Console.Error.WriteLineAsync($"orleansring blobs {verb}: {ErrorText.OneLine(ex)}");
            return OrleansRingCommandLine.RunFailed;
        }
    }

    private static async Task ListAsync(IChunkStore store, string experimentId, CancellationToken cancellationToken)
    {
        // Chunk blobs and the entries of bundles (async persistence) alike.
        var chunks = await store.ListSentChunksAsync(experimentId, cancellationToken: cancellationToken);
        var checkpoints = await store.ListCheckpointsAsync(experimentId, cancellationToken);
        var manifest = await store.TryGetDocumentAsync(experimentId, ManifestDocument, cancellationToken);
        if (chunks.Count == 0 && checkpoints.Count == 0 && manifest is null)
        {
            Console.WriteLine($"Nothing stored for experiment {experimentId} in {store.Endpoint}.");
            return;
        }

        Console.WriteLine($"Experiment {experimentId} in {store.Endpoint}");
        Console.WriteLine(manifest is null ? "manifest: none" : $"manifest: {ManifestSummary(manifest)}");
        var chunksPerIteration = chunks.GroupBy(c => c.Iteration).ToDictionary(g => g.Key, g => g.Count());
        var checkpointsPerIteration = checkpoints.GroupBy(c => c.Iteration).ToDictionary(g => g.Key, g => g.Count());
        var table = new Table().Border(TableBorder.Rounded).AddColumns("iteration", "chunks", "checkpoints");
        foreach (var iteration in chunksPerIteration.Keys.Union(checkpointsPerIteration.Keys).Order())
        {
            table.AddRow($"{iteration}", $"{chunksPerIteration.GetValueOrDefault(iteration)}", $"{checkpointsPerIteration.GetValueOrDefault(iteration)}");
        }
        table.AddRow("total", $"{chunks.Count}", $"{checkpoints.Count}");
        AnsiConsole.Write(table);
    }

    private static async Task GcAsync(IChunkStore store, string experimentId, CancellationToken cancellationToken)
    {
        // Counted first so the summary can say what went; the store's own count covers every blob under the prefix.
        var chunkBlobs = await store.ListChunksAsync(experimentId, cancellationToken: cancellationToken);
        var bundles = await store.ListChunkBundlesAsync(experimentId, cancellationToken: cancellationToken);
        var bundledChunks = 0;
        foreach (var bundle in bundles)
        {
            bundledChunks += (await store.ListBundledChunksAsync(bundle, cancellationToken)).Count;
        }
        var checkpoints = await store.ListCheckpointsAsync(experimentId, cancellationToken);
        var removed = await store.DeleteExperimentAsync(experimentId, cancellationToken);
        if (removed == 0)
        {
            Console.WriteLine($"Nothing stored for experiment {experimentId} in {store.Endpoint}.");
            return;
        }
        var iterations = chunkBlobs.Select(c => c.Iteration).Concat(bundles.Select(b => b.Iteration)).Distinct().Count();
        var others = Math.Max(0, removed - chunkBlobs.Count - bundles.Count - checkpoints.Count);
        var bundled = bundles.Count == 0 ? string.Empty : $" ({bundledChunks} of them in {Count(bundles.Count, "bundle")})";
        Console.WriteLine(
            $"Removed {Count(removed, "blob")} of experiment {experimentId} from {store.Endpoint}: "
            + $"{Count(chunkBlobs.Count + bundledChunks, "chunk")}{bundled} of {Count(iterations, "iteration")}, {Count(checkpoints.Count, "checkpoint")}, {Count(others, "document")}.");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>The manifest's state and progress, read loosely: the CLI must not fail over a manifest of another version.</summary>
    private static string ManifestSummary(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            var root = document.RootElement;
            var state = root.TryGetProperty("state", out var s) ? s.ToString() : "unknown state";
            var total = root.TryGetProperty("totalIterations", out var t) ? t.ToString() : "?";
            var done = root.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Array ? m.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
            return $"{state.ToLowerInvariant()}, {done}/{total} iterations";
        }
        catch (JsonException)
        {
            return "present, not readable as a manifest";
        }
    }
}
