using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Hosting;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>`bench allreduce`: the ring all-reduce through worker grains, without a model.</summary>
public static class BenchAllReduceCommand
{
    public static Command Create()
    {
        var workers = new Option<int>("--workers", "-n") { Description = "Workers in the ring.", DefaultValueFactory = _ => 8 };
        var floats = new Option<int>("--floats") { Description = "Vector length (878538 = the paper CNN's gradient).", DefaultValueFactory = _ => 878_538 };
        var repeat = new Option<int>("--repeat") { Description = "Timed all-reduces (after 2 warm-up runs).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var command = new Command("allreduce", "Time the ring all-reduce alone (no training): median/min/max seconds and algorithm bandwidth.")
        {
            workers, floats, repeat, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(workers);
            var length = parse.GetValue(floats);
            var repeats = parse.GetValue(repeat);
            if (n < 1 || length < 1 || repeats < 1)
            {
                await Console.Error.WriteLineAsync("orleansring bench allreduce: --workers, --floats and --repeat must be ≥ 1.");
                return OrleansRingCommandLine.BadInput;
            }
            await using var cluster = await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken);
            var figures = await MeasureAsync(cluster.Client, n, length, repeats);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(figures, ResultFiles.JsonOptions));
            }
            else
            {
                Print(figures);
            }
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    public static async Task<AllReduceFigures> MeasureAsync(IGrainFactory grains, int workers, int floats, int repeats)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var id = $"bench-allreduce-{Guid.NewGuid():N}";
        var ring = Enumerable.Range(0, workers).Select(r => grains.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
        await Task.WhenAll(ring.Select((w, r) => w.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment { ExperimentId = id, Rank = r, Workers = workers, Floats = floats })));
        var ringSeconds = new List<double>();
        var wallSeconds = new List<double>();
        const int warmUp = 2;
        for (var i = 0; i < warmUp + repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(i)));
            var wall = clock.Elapsed.TotalSeconds;
            if (reports.Select(r => r.ResultHash).Distinct().Count() != 1)
            {
                throw new InvalidOperationException($"All-reduce {i} left the {workers} workers with different vectors.");
            }
            if (i >= warmUp)
            {
                ringSeconds.Add(reports.Max(r => r.Seconds));
                wallSeconds.Add(wall);
            }
        }
        await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
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
            bytes / median / 1e9 * 2 * (workers - 1) / workers);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static void Print(AllReduceFigures f)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("workers", "floats", "repeats", "median s", "min s", "max s", "median s (call)", "algbw GB/s", "busbw GB/s");
        table.AddRow($"{f.Workers}", $"{f.Floats:N0}", $"{f.Repeats}", $"{f.MedianSeconds:0.00000}", $"{f.MinSeconds:0.00000}", $"{f.MaxSeconds:0.00000}", $"{f.MedianCallSeconds:0.00000}", $"{f.AlgorithmBandwidthGBps:0.000}", $"{f.BusBandwidthGBps:0.000}");
        AnsiConsole.Write(table);
    }
}
