using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Collectives;
using OrleansRing.Hosting;
using OrleansRing.Results;
using OrleansRing.Storage;
using OrleansRing.Telemetry;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>`bench allreduce`: the ring all-reduce through worker grains, without a model, optionally persisting every chunk.</summary>
public static class BenchAllReduceCommand
{
    private const int WarmUp = 2;

    /// <summary>Iterations of chunks kept in the store while measuring, as a run's default retention keeps them.</summary>
    private const int RetainedIterations = 2;

    public static Command Create()
    {
        var workers = new Option<int>("--workers", "-n") { Description = "Workers in the ring.", DefaultValueFactory = _ => 8 };
        var floats = new Option<int>("--floats") { Description = "Vector length (878538 = the paper CNN's gradient).", DefaultValueFactory = _ => 878_538 };
        var repeat = new Option<int>("--repeat") { Description = "Timed all-reduces (after 2 warm-up runs).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var timeline = new Option<string?>("--timeline") { Description = "Record the ring's spans and write them to FILE as Chrome trace-event JSON (all repeats, warm-up included)." };
        var traceConsole = new Option<bool>("--trace-console") { Description = "Write finished spans to the console. OTLP: set OTEL_EXPORTER_OTLP_ENDPOINT." };
        var persistence = new BenchPersistenceOptions(ChunkPersistence.Off, "so that the figure is the ring alone");
        var command = new Command("allreduce", "Time the ring all-reduce alone (no training): median/min/max seconds and algorithm bandwidth, optionally with chunk persistence.")
        {
            workers, floats, repeat, json, timeline, traceConsole,
        };
        persistence.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string Name = "orleansring bench allreduce";
            var n = parse.GetValue(workers);
            var length = parse.GetValue(floats);
            var repeats = parse.GetValue(repeat);
            if (n < 1 || length < 1 || repeats < 1)
            {
                await Console.Error.WriteLineAsync($"{Name}: --workers, --floats and --repeat must be ≥ 1.");
                return OrleansRingCommandLine.BadInput;
            }
            var (choice, exitCode) = await persistence.ResolveAndOpenAsync(parse, Name, cancellationToken);
            if (choice is null)
            {
                return exitCode;
            }
            var (mode, storeOptions, compare, store) = choice;

            var timelinePath = parse.GetValue(timeline);
            var telemetry = new TelemetryOptions { RecordTimeline = timelinePath is not null, Console = parse.GetValue(traceConsole) };
            await using var cluster = await EmbeddedCluster.StartAsync(chunkStore: storeOptions, telemetry: telemetry, cancellationToken: cancellationToken);
            object output;
            try
            {
                var off = compare ? await MeasureAsync(cluster.Client, n, length, repeats) : null;
                var figures = await MeasureAsync(cluster.Client, n, length, repeats, mode, store, timelinePath);
                output = off is null ? figures : new AllReduceComparison(off, figures, figures.MedianSeconds / off.MedianSeconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store that went away mid-measurement, or a ring that disagreed: one line, not a stack trace.
                await Console.Error.WriteLineAsync($"{Name}: the measurement failed: {ErrorText.OneLine(ex)}");
                return OrleansRingCommandLine.RunFailed;
            }
            if (timelinePath is not null)
            {
                await Console.Error.WriteLineAsync($"timeline: {timelinePath}");
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(output, ResultFiles.JsonOptions));
            }
            else if (output is AllReduceComparison comparison)
            {
                Print(comparison.Off, comparison.Mode);
                Console.WriteLine($"{comparison.Mode.Persistence} ÷ off (median seconds): {comparison.Ratio:0.00}×");
            }
            else
            {
                Print((AllReduceFigures)output);
            }
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    /// <summary>
    /// Times <paramref name="repeats"/> all-reduces after <see cref="WarmUp"/> untimed ones. With persistence, older
    /// iterations are pruned between repeats (outside the timed part) and everything is deleted at the end. With
    /// <paramref name="timelinePath"/> (and silos that record), the workers' spans are written there before they are released.
    /// </summary>
    public static async Task<AllReduceFigures> MeasureAsync(IGrainFactory grains, int workers, int floats, int repeats, ChunkPersistence persistence = ChunkPersistence.Off, IChunkStore? store = null, string? timelinePath = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (persistence != ChunkPersistence.Off && store is null)
        {
            throw new ArgumentException($"Persistence {persistence} needs the cluster's chunk store, to clean up after itself.", nameof(store));
        }
        var id = $"bench-allreduce-{Guid.NewGuid():N}";
        var ring = Enumerable.Range(0, workers).Select(r => grains.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
        var ringSeconds = new List<double>();
        var wallSeconds = new List<double>();
        try
        {
            await Task.WhenAll(ring.Select((w, r) => w.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment { ExperimentId = id, Rank = r, Workers = workers, Floats = floats, Persistence = persistence })));
            for (var i = 0; i < WarmUp + repeats; i++)
            {
                // Timed rings between barriers, as torch.distributed benchmarks time them: restoring the input and
                // hashing the result (3.5 MB per rank each) happen outside, so no rank's copy or hash steals a core
                // from another rank's timed ring.
                var clock = Stopwatch.StartNew();
                var reports = await Task.WhenAll(ring.Select(w => w.RunTimedAllReduceBenchmarkAsync(i)));
                var wall = clock.Elapsed.TotalSeconds;
                var hashes = await Task.WhenAll(ring.Select(w => w.ResetAllReduceBenchmarkAsync()));
                if (hashes.Distinct().Count() != 1)
                {
                    throw new InvalidOperationException($"All-reduce {i} left the {workers} workers with different vectors.");
                }
                if (i == 0)
                {
                    await VerifyMeanAsync(workers, floats, hashes[0]);
                }
                if (i >= WarmUp)
                {
                    ringSeconds.Add(reports.Max(r => r.Seconds));
                    wallSeconds.Add(wall);
                }
                if (persistence != ChunkPersistence.Off)
                {
                    await store!.PruneIterationsAsync(id, RetainedIterations);
                }
            }
            if (timelinePath is not null)
            {
                var fragments = await Task.WhenAll(ring.Select(w => w.TakeTimelineAsync()));
                TimelineDocument.Merge(id, fragments.Select(f => TimelineDocument.Parse(f))).Save(timelinePath);
            }
            await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
        }
        finally
        {
            if (persistence != ChunkPersistence.Off)
            {
                await DeleteQuietlyAsync(store!, id);
            }
        }
        ringSeconds.Sort();
        wallSeconds.Sort();
        var median = Median(ringSeconds);
        var bytes = floats * 4.0;
        return new AllReduceFigures(
            workers,
            floats,
            repeats,
            median,
            ringSeconds[0],
            ringSeconds[^1],
            Median(wallSeconds),
            bytes / median / 1e9,
            bytes / median / 1e9 * 2 * (workers - 1) / workers,
            BenchPersistenceOptions.Name(persistence),
            persistence == ChunkPersistence.Off ? null : store!.Endpoint);
    }

    /// <summary>
    /// Checks the ring's result against <see cref="RingAllReduceSimulator"/> (the mean of every rank's
    /// <see cref="BenchmarkVector"/>, summed in the ring's order) bit for bit, so a faster ring can never be a wrong one.
    /// </summary>
    private static async Task VerifyMeanAsync(int workers, int floats, string hash)
    {
        var vectors = await Task.Run(() =>
        {
            var v = new float[workers][];
            for (var r = 0; r < workers; r++)
            {
                v[r] = new float[floats];
                BenchmarkVector.Fill(v[r], r);
            }
            RingAllReduceSimulator.AllReduceMean(v);
            return v;
        });
        var expected = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vectors[0].AsSpan())));
        if (expected != hash)
        {
            throw new InvalidOperationException($"The ring's result (SHA-256 {hash[..12]}…, equal on every rank) differs from the reference mean ({expected[..12]}…).");
        }
    }

    /// <summary>Best effort: a failed clean-up must not hide the figures or the error that ended the measurement.</summary>
    internal static async Task DeleteQuietlyAsync(IChunkStore store, string experimentId)
    {
        try
        {
            await store.DeleteExperimentAsync(experimentId);
        }
        catch (ChunkStoreException ex)
        {
            await Console.Error.WriteLineAsync($"warning: could not delete benchmark blobs '{experimentId}/' from {store.Endpoint}: {ErrorText.OneLine(ex)}");
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static void Print(params AllReduceFigures[] rows)
    {
        // Setup on one line and only the figures in the table, so that both rows of --compare fit 80 columns.
        var first = rows[0];
        Console.WriteLine($"{first.Workers} workers, {first.Floats:N0} floats, {first.Repeats} timed repeats" + (rows.FirstOrDefault(r => r.Store is not null) is { Store: { } endpoint } ? $", store {endpoint}" : string.Empty));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("persistence", "median s", "min s", "max s", "call s", "algbw GB/s", "busbw GB/s");
        foreach (var f in rows)
        {
            table.AddRow(f.Persistence, $"{f.MedianSeconds:0.0000}", $"{f.MinSeconds:0.0000}", $"{f.MaxSeconds:0.0000}", $"{f.MedianCallSeconds:0.0000}", $"{f.AlgorithmBandwidthGBps:0.000}", $"{f.BusBandwidthGBps:0.000}");
        }
        AnsiConsole.Write(table);
    }
}
