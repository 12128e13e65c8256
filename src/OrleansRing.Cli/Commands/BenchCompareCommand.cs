using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Hosting;
using OrleansRing.Results;
using OrleansRing.Storage;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `bench compare`: the anchors a user would otherwise run (torch.distributed on gloo, in ../shared/bench) and ours,
/// in turn, for several rounds in one process, so that a noisy shared machine drifts for both sides alike; prints each
/// side's median and the ratio against issue 9's targets.
/// </summary>
public static partial class BenchCompareCommand
{
    private static readonly string[] s_allTargets = ["allreduce", "scaling", "cluster", "train", "persistence", "memory"];

    public static Command Create()
    {
        var anchors = new Option<string>("--anchors") { Description = "Folder of gloo_allreduce.py and gloo_ddp_train.py.", DefaultValueFactory = _ => Path.Combine("..", "shared", "bench") };
        var python = new Option<string>("--python") { Description = "Interpreter with torch.distributed (Debian's python3-torch).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; each runs every side once, anchor first.", DefaultValueFactory = _ => 3 };
        var repeat = new Option<int>("--repeat") { Description = "Timed all-reduces per measurement, on both sides (the median is kept).", DefaultValueFactory = _ => 10 };
        var floats = new Option<int>("--floats") { Description = "All-reduce length (878538 = the paper CNN's gradient).", DefaultValueFactory = _ => 878_538 };
        var iterations = new Option<int>("--train-iterations") { Description = "Timed training iterations per measurement.", DefaultValueFactory = _ => 8 };
        var targets = new Option<string>("--targets") { Description = $"Comma-separated, from {string.Join(", ", s_allTargets)}. Default: all; persistence only with --store.", DefaultValueFactory = _ => string.Empty };
        var store = new Option<string?>("--store") { Description = "The store of the persistence target, e.g. azure:CONNECTION_STRING for Azurite (what it writes is deleted)." };
        var json = new Option<bool>("--json") { Description = "Also print the rows as JSON." };
        var command = new Command("compare", "The gloo anchors and our ring in turn, several rounds: medians and ratios against the performance targets.")
        {
            anchors, python, rounds, repeat, floats, iterations, targets, store, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string Name = "orleansring bench compare";
            var chosen = parse.GetValue(targets) is { Length: > 0 } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [.. s_allTargets.Where(t => t != "persistence" || parse.GetValue(store) is not null)];
            if (chosen.FirstOrDefault(t => !s_allTargets.Contains(t)) is { } unknown)
            {
                await Console.Error.WriteLineAsync($"{Name}: unknown target '{unknown}'; expected {string.Join(", ", s_allTargets)}.");
                return OrleansRingCommandLine.BadInput;
            }
            if (parse.GetValue(rounds) < 1 || parse.GetValue(repeat) < 1 || parse.GetValue(floats) < 1 || parse.GetValue(iterations) < 1)
            {
                await Console.Error.WriteLineAsync($"{Name}: --rounds, --repeat, --floats and --train-iterations must be ≥ 1.");
                return OrleansRingCommandLine.BadInput;
            }
            var anchorFolder = parse.GetValue(anchors)!;
            if (!File.Exists(Path.Combine(anchorFolder, "gloo_allreduce.py")))
            {
                await Console.Error.WriteLineAsync($"{Name}: no gloo_allreduce.py in {Path.GetFullPath(anchorFolder)} (--anchors).");
                return OrleansRingCommandLine.BadInput;
            }
            IChunkStore? chunkStore = null;
            ChunkStoreOptions? storeOptions = null;
            if (chosen.Contains("persistence"))
            {
                if (parse.GetValue(store) is not { } storeText)
                {
                    await Console.Error.WriteLineAsync($"{Name}: the persistence target needs --store.");
                    return OrleansRingCommandLine.BadInput;
                }
                try
                {
                    storeOptions = ChunkStoreOptions.Parse(storeText);
                    chunkStore = await BenchPersistenceOptions.OpenAsync(storeOptions, cancellationToken);
                }
                catch (Exception ex) when (ex is ArgumentException or CommandLineException)
                {
                    await Console.Error.WriteLineAsync($"{Name}: --store: {ErrorText.OneLine(ex)}");
                    return OrleansRingCommandLine.BadInput;
                }
                catch (ChunkStoreException ex)
                {
                    await Console.Error.WriteLineAsync($"{Name}: {ErrorText.OneLine(ex)}");
                    return OrleansRingCommandLine.RunFailed;
                }
            }
            var settings = new Settings(anchorFolder, parse.GetValue(python)!, parse.GetValue(rounds), parse.GetValue(repeat), parse.GetValue(floats), parse.GetValue(iterations), storeOptions, chunkStore);
            List<ComparisonRow> rows;
            try
            {
                rows = await RunAsync(settings, chosen, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"{Name}: {ErrorText.OneLine(ex)}");
                return OrleansRingCommandLine.RunFailed;
            }
            Print(rows, settings);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, ResultFiles.JsonOptions));
            }
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    private static async Task<List<ComparisonRow>> RunAsync(Settings s, string[] targets, CancellationToken cancellationToken)
    {
        var series = new Dictionary<string, List<double>>();
        void Add(string name, double value)
        {
            if (!series.TryGetValue(name, out var values))
            {
                series[name] = values = [];
            }
            values.Add(value);
            Console.Error.WriteLine(FormattableString.Invariant($"  {name}: {value:0.#####}"));
        }

        // Each cluster lives only while its own targets run, so no idle silo shares the two cores with another
        // target's measurement.
        for (var round = 1; round <= s.Rounds; round++)
        {
            Console.Error.WriteLine($"round {round} of {s.Rounds}");
            if (targets.Contains("allreduce") || targets.Contains("cluster"))
            {
                Add("gloo allreduce 8", await GlooAllReduceAsync(s, 8, cancellationToken));
            }
            if (targets.Contains("allreduce") || targets.Contains("scaling"))
            {
                await using var embedded = await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken);
                if (targets.Contains("allreduce"))
                {
                    Add("ring allreduce 8", (await BenchAllReduceCommand.MeasureAsync(embedded.Client, 8, s.Floats, s.Repeat)).MedianSeconds);
                }
                if (targets.Contains("scaling"))
                {
                    Add("gloo allreduce 4", await GlooAllReduceAsync(s, 4, cancellationToken));
                    Add("gloo allreduce 16", await GlooAllReduceAsync(s, 16, cancellationToken));
                    Add("ring allreduce 4", (await BenchAllReduceCommand.MeasureAsync(embedded.Client, 4, s.Floats, s.Repeat)).MedianSeconds);
                    Add("ring allreduce 16", (await BenchAllReduceCommand.MeasureAsync(embedded.Client, 16, s.Floats, s.Repeat)).MedianSeconds);
                }
            }
            if (targets.Contains("cluster"))
            {
                // Two slots each: ranks 0-1, 2-3, 4-5 and 6-7 fill the silos in turn, so 3 of the 8 ring hops cross TCP.
                await using var silos = await LocalSiloProcesses.StartAsync(3, concurrentWorkers: 2, TimeSpan.FromMinutes(2), cancellationToken);
                await using var remote = await OrleansRingClusterClient.ConnectAsync(silos.ClientOptions(), cancellationToken: cancellationToken);
                Add("ring allreduce 8, 3 silos", (await BenchAllReduceCommand.MeasureAsync(remote.Client, 8, s.Floats, s.Repeat)).MedianSeconds);
            }
            if (targets.Contains("train"))
            {
                Add("gloo ddp train 8x64", await GlooDdpAsync(s, 8, 64, cancellationToken));
                var figures = await BenchTrainCommand.MeasureAsync(ModelArchitecture.PaperCnn, 8, 64, s.TrainIterations, ChunkPersistence.Off, null, null, compare: false, cancellationToken);
                Add("ring train 8x64", figures.RingSamplesPerSecond);
                Add("one process train 512", figures.SingleProcessSamplesPerSecond);
            }
            if (targets.Contains("persistence"))
            {
                // The default mode (async write-behind) with the run's defaults (a checkpoint every 10 iterations, keep-last:2).
                var figures = await BenchTrainCommand.MeasureAsync(ModelArchitecture.PaperCnn, 8, 64, PersistenceIterations(s), ChunkPersistence.Async, s.StoreOptions, s.Store, compare: true, cancellationToken);
                Add("ring train 8x64, persistence off", figures.RingSamplesPerSecondWithoutPersistence!.Value);
                Add("ring train 8x64, persistence async", figures.RingSamplesPerSecond);
            }
            if (targets.Contains("memory"))
            {
                Add("peak RSS GB, run 16 workers", await PeakRssOfRunAsync(cancellationToken) / 1e9);
            }
        }

        var rows = new List<ComparisonRow>();
        double M(string name) => Median(series[name]);
        ComparisonRow Row(string target, string unit, string? anchor, string ours, double ratio, string goal, bool met) => new(
            target, unit, anchor ?? "—", anchor is null ? null : M(anchor), ours, M(ours), ratio, goal, met,
            anchor is null ? [] : series[anchor], series[ours]);
        if (targets.Contains("allreduce"))
        {
            var ratio = M("ring allreduce 8") / M("gloo allreduce 8");
            rows.Add(Row("all-reduce, 8 workers, one silo", "s", "gloo allreduce 8", "ring allreduce 8", ratio, "ring ÷ gloo ≤ 0.5", ratio <= 0.5));
        }
        if (targets.Contains("scaling"))
        {
            var ratio = M("ring allreduce 16") / M("ring allreduce 4");
            rows.Add(Row("all-reduce growth 4 → 16 workers", "s", "ring allreduce 4", "ring allreduce 16", ratio, "16 ÷ 4 ≤ 1.25", ratio <= 1.25));
            var gloo = M("gloo allreduce 16") / M("gloo allreduce 4");
            rows.Add(Row("  (gloo's own growth 4 → 16)", "s", "gloo allreduce 4", "gloo allreduce 16", gloo, "reference", true));
        }
        if (targets.Contains("cluster"))
        {
            var ratio = M("ring allreduce 8, 3 silos") / M("gloo allreduce 8");
            rows.Add(Row("all-reduce, 8 workers, 3 silo processes (TCP)", "s", "gloo allreduce 8", "ring allreduce 8, 3 silos", ratio, "ring ÷ gloo ≤ 1", ratio <= 1));
        }
        if (targets.Contains("train"))
        {
            var single = M("ring train 8x64") / M("one process train 512");
            rows.Add(Row("training 8 × 64 vs one process at 512", "samples/s", "one process train 512", "ring train 8x64", single, "ring ÷ one process ≥ 0.9", single >= 0.9));
            var ddp = M("ring train 8x64") / M("gloo ddp train 8x64");
            rows.Add(Row("training 8 × 64 vs PyTorch DDP on gloo", "samples/s", "gloo ddp train 8x64", "ring train 8x64", ddp, "ring ÷ DDP > 1", ddp > 1));
        }
        if (targets.Contains("persistence"))
        {
            // Time per sample is the inverse of throughput: async ÷ off in time is off ÷ async in samples/s.
            var ratio = M("ring train 8x64, persistence off") / M("ring train 8x64, persistence async");
            rows.Add(Row("training with async persistence vs off (time)", "samples/s", "ring train 8x64, persistence off", "ring train 8x64, persistence async", ratio, "async ÷ off (time) ≤ 1.3", ratio <= 1.3));
        }
        if (targets.Contains("memory"))
        {
            var peak = M("peak RSS GB, run 16 workers");
            rows.Add(Row("peak RSS, 16-worker CNN run", "GB", null, "peak RSS GB, run 16 workers", peak / 3, "≤ 3 GB", peak <= 3));
        }
        return rows;
    }

    private static async Task<double> GlooAllReduceAsync(Settings s, int world, CancellationToken cancellationToken)
    {
        var output = await RunPythonAsync(s, ["gloo_allreduce.py", $"{world}", $"{s.Floats}", $"{s.Repeat}"], cancellationToken);
        return ParseFigure(output, MedianPattern(), "gloo_allreduce.py");
    }

    private static async Task<double> GlooDdpAsync(Settings s, int world, int batch, CancellationToken cancellationToken)
    {
        var output = await RunPythonAsync(s, ["gloo_ddp_train.py", $"{world}", $"{s.TrainIterations}", $"{batch}"], cancellationToken);
        return ParseFigure(output, SamplesPattern(), "gloo_ddp_train.py");
    }

    private static async Task<string> RunPythonAsync(Settings s, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(s.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = s.AnchorFolder };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {s.Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{s.Python} {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim().Split('\n').LastOrDefault()}");
    }

    private static double ParseFigure(string output, Regex pattern, string script) =>
        pattern.Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{script} printed no figure: {output.Trim()}");

    /// <summary>
    /// Peak resident memory of `orleansring run --workers 16` (the paper CNN, 3 iterations, default async persistence to
    /// the default folder store, deleted after the run) in a child process: the kernel's high-water mark (VmHWM, what
    /// <see cref="Process.PeakWorkingSet64"/> reads), polled until it exits.
    /// </summary>
    private static async Task<double> PeakRssOfRunAsync(CancellationToken cancellationToken)
    {
        var output = Path.Combine(Path.GetTempPath(), $"orleansring-bench-memory-{Guid.NewGuid():N}");
        using var process = LocalSiloProcesses.StartSelf(["run", "--workers", "16", "--iterations", "3", "--retention", "delete-after-run", "--out", output]);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                break; // Exited between the check and the read.
            }
            await Task.Delay(100, cancellationToken);
        }
        await process.WaitForExitAsync(cancellationToken);
        try
        {
            Directory.Delete(output, recursive: true);
        }
        catch (IOException)
        {
        }
        return process.ExitCode == 0 ? peak : throw new InvalidOperationException($"The 16-worker run exited with {process.ExitCode}.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Print(List<ComparisonRow> rows, Settings s)
    {
        // Plain lines, not a table: the rows are long and the output is mostly read from logs and pasted into the README.
        Console.WriteLine($"{s.Rounds} rounds, {s.Floats:N0} floats, {s.Repeat} all-reduces per measurement, {s.TrainIterations} training iterations ({PersistenceIterations(s)} for persistence); {Environment.ProcessorCount} cores; medians over rounds");
        foreach (var row in rows)
        {
            var anchor = row.AnchorMedian is { } a ? $"{row.Anchor} {Format(a, row.Unit)}" : "—";
            var verdict = row.Goal == "reference" ? "reference" : row.Met ? "met" : "NOT met";
            Console.WriteLine(FormattableString.Invariant($"{row.Target}: {anchor} | {row.Ours} {Format(row.OursMedian, row.Unit)} | ratio {row.Ratio:0.00} | goal {row.Goal}: {verdict}"));
        }
    }

    private static string Format(double value, string unit) => unit switch
    {
        "s" => FormattableString.Invariant($"{value * 1000:0.0} ms"),
        "samples/s" => FormattableString.Invariant($"{value:0} samples/s"),
        _ => FormattableString.Invariant($"{value:0.00} {unit}"),
    };

    [GeneratedRegex(@"median_s=([0-9.]+)")]
    private static partial Regex MedianPattern();

    [GeneratedRegex(@"samples_per_s=([0-9.]+)")]
    private static partial Regex SamplesPattern();

    /// <summary>
    /// The persistence target's timed iterations: whole checkpoint intervals, so that they hold checkpoints in a run's
    /// proportion, and at least two, so that the store has reached its steady state (on 2026-12-04 builds that checkpointed
    /// every iteration read 1.57–1.78 over 8 iterations, in three runs, and 2.03 over 20).
    /// </summary>
    private static int PersistenceIterations(Settings s)
    {
        var interval = ExperimentConfig.DefaultCheckpointInterval;
        return Math.Max(2, (s.TrainIterations + interval - 1) / interval) * interval;
    }

    private sealed record Settings(string AnchorFolder, string Python, int Rounds, int Repeat, int Floats, int TrainIterations, ChunkStoreOptions? StoreOptions, IChunkStore? Store);
}
