using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Grains.Compute;
using OrleansRing.Hosting;
using OrleansRing.Results;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `bench defences`: the grid defence × attack on one embedded silo, one experiment per cell, with final test
/// accuracy, the defence's extra bytes and time against the plain ring, and its detections. Cells are appended to a
/// JSON-lines file as they finish; a rerun with the same file skips the cells already there, so a long grid can be
/// run in pieces.
/// </summary>
public static class BenchDefencesCommand
{
    public const string None = "none";

    /// <summary>The paper's five attacks (Wang et al., APNet 2021) with its defaults.</summary>
    public static IReadOnlyList<string> PaperAttacks { get; } = ["gradient-flipping", "gradient-ascent", "random-value", "same-value", "label-flipping"];

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "CIFAR-10 binary folder or .tar.gz (default: synthetic data)." };
        var workers = new Option<int>("--workers", "-n") { Description = "Workers in the ring.", DefaultValueFactory = _ => 8 };
        var epochs = new Option<double>("--epochs") { Description = "Passes over each worker's shard.", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--iterations") { Description = "Iterations per run (overrides --epochs)." };
        var batch = new Option<int>("--batch") { Description = "Batch size per worker.", DefaultValueFactory = _ => 64 };
        var testLimit = new Option<int>("--test-limit") { Description = "Evaluate on the first N test images (0: all)." };
        var seed = new Option<int>("--seed") { Description = "Seed of every run.", DefaultValueFactory = _ => 1 };
        var attackers = new Option<int>("--attackers") { Description = "Malicious workers in attacked runs, placed by --attacker-seed.", DefaultValueFactory = _ => 1 };
        var attackerRanks = new Option<string?>("--attacker-ranks") { Description = "Explicit malicious ranks (overrides --attackers)." };
        var defences = new Option<string>("--defences") { Description = "Defences, ';'-separated NAME[:k=v,...], 'none' for the plain ring.", DefaultValueFactory = _ => None };
        var attacks = new Option<string>("--attacks") { Description = "Attacks, ';'-separated NAME[:k=v,...], 'none' for no attack; 'paper' expands to the paper's five.", DefaultValueFactory = _ => $"{None};paper" };
        var output = new Option<string>("--out") { Description = "JSON-lines file of the cells (appended; cells already in it are skipped).", DefaultValueFactory = _ => Path.Combine("runs", "bench-defences.jsonl") };
        var concurrent = new Option<int>("--concurrent-workers") { Description = "Workers computing at once (default: one per core)." };
        var momentumAt = new Option<string>("--momentum-at") { Description = "Where momentum lives in every cell, the plain ring's too: replica or worker.", DefaultValueFactory = _ => "replica" };
        momentumAt.AcceptOnlyFromAmong("replica", "worker");
        var command = new Command("defences", "Defences against attacks: final test accuracy, extra bytes and time against the plain ring, detections, for every defence x attack.")
        {
            data, workers, epochs, iterations, batch, testLimit, seed, attackers, attackerRanks, defences, attacks, output, concurrent, momentumAt,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string Name = "orleansring bench defences";
            var dataPath = parse.GetValue(data);
            if (dataPath is not null && !File.Exists(dataPath) && !Directory.Exists(dataPath))
            {
                await Console.Error.WriteLineAsync($"{Name}: --data: '{dataPath}' is neither a file nor a folder.");
                return OrleansRingCommandLine.BadInput;
            }
            var defenceList = Split(parse.GetValue(defences)!);
            var attackList = Split(parse.GetValue(attacks)!).SelectMany(a => a == "paper" ? PaperAttacks : [a]).Distinct().ToList();
            if (defenceList.Count == 0 || attackList.Count == 0)
            {
                await Console.Error.WriteLineAsync($"{Name}: --defences and --attacks need at least one entry each.");
                return OrleansRingCommandLine.BadInput;
            }
            var template = new ExperimentConfig
            {
                ExperimentId = "template",
                Workers = parse.GetValue(workers),
                Data = dataPath is null ? new DataSourceSpec() : new DataSourceSpec { Kind = DataSourceKind.Cifar10, Path = Path.GetFullPath(dataPath), TestLimit = parse.GetValue(testLimit) },
                Epochs = parse.GetValue(epochs),
                Iterations = parse.GetValue(iterations),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                EvaluationInterval = int.MaxValue,
                Persistence = ChunkPersistence.Off,
                AttackerRanks = parse.GetValue(attackerRanks),
                MomentumAt = parse.GetValue(momentumAt) == "worker" ? MomentumPlacement.Worker : MomentumPlacement.Replica,
            };
            var placement = parse.GetValue(momentumAt)!;
            var problems = Grains.ExperimentConfigValidator.Problems(template);
            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync($"{Name}: {string.Join("; ", problems)}");
                return OrleansRingCommandLine.BadInput;
            }
            var outputPath = parse.GetValue(output)!;
            // Cells measured with momentum elsewhere are kept in the file but are not this grid's.
            var cells = Read(outputPath).Where(c => c.MomentumAt == placement).ToList();
            var concurrentWorkers = parse.GetValue(concurrent);
            await using var cluster = await EmbeddedCluster.StartAsync(o =>
            {
                if (concurrentWorkers > 0)
                {
                    o.ConcurrentWorkers = concurrentWorkers;
                }
            }, cancellationToken: cancellationToken);
            foreach (var attack in attackList)
            {
                foreach (var defence in defenceList)
                {
                    if (cells.Any(c => c.Defence == defence && c.Attack == attack && c.State == "completed"))
                    {
                        continue;
                    }
                    var config = template with
                    {
                        ExperimentId = $"bench-defences-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
                        Defence = defence == None ? null : defence,
                        Attack = attack == None ? null : attack,
                        AttackerCount = attack == None || template.AttackerRanks is not null ? 0 : parse.GetValue(attackers),
                        AttackerRanks = attack == None ? null : template.AttackerRanks,
                    };
                    Console.WriteLine($"{Name}: {defence} against {attack} ({config.ExperimentId})");
                    DefenceCell cell;
                    try
                    {
                        var result = await ExperimentRunner.RunAsync(cluster.Client, config, showProgress: false, cancellationToken);
                        cell = CellOf(defence, attack, result) with { MomentumAt = placement };
                    }
                    catch (ArgumentException ex)
                    {
                        await Console.Error.WriteLineAsync($"{Name}: {ex.Message}");
                        return OrleansRingCommandLine.BadInput;
                    }
                    Console.WriteLine($"  {cell.State}: test accuracy {Percent(cell.TestAccuracy)}, {cell.SecondsPerIteration:0.00} s/iteration, {cell.ExtraBytesPerWorkerPerIteration:N0} extra bytes/worker/iteration, detections {cell.Detections}{(cell.Error is null ? "" : $", error: {cell.Error}")}");
                    cells.Add(cell);
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
                    await File.AppendAllTextAsync(outputPath, JsonSerializer.Serialize(cell, Compact) + "\n", cancellationToken);
                }
            }
            Print(cells, defenceList, attackList);
            Console.WriteLine($"momentum at: {placement}");
            Console.WriteLine($"cells: {Path.GetFullPath(outputPath)}");
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    private static JsonSerializerOptions Compact { get; } = new(ResultFiles.JsonOptions) { WriteIndented = false };

    private static List<string> Split(string text) =>
        [.. text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<DefenceCell> Read(string path) =>
        File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<DefenceCell>(l, ResultFiles.JsonOptions)!)]
            : [];

    private static DefenceCell CellOf(string defence, string attack, ExperimentResult result)
    {
        var iterations = Math.Max(1, result.Iterations.Count);
        var ringSizes = result.Iterations.Sum(m => Math.Max(1, m.RingSize));
        return new DefenceCell(
            defence,
            attack,
            result.Config.ExperimentId,
            result.State.ToString().ToLowerInvariant(),
            result.FinalTestAccuracy,
            result.Iterations.Count,
            result.Iterations.Count == 0 ? 0 : result.Iterations.Average(m => m.Seconds),
            result.DefenceExtraBytesPerWorkerPerIteration,
            result.DeclaredDefenceExtraBytesPerWorkerPerIteration,
            result.Iterations.Sum(m => (double)m.BytesSent) / Math.Max(1, ringSizes),
            result.DefenceSeconds / iterations,
            result.Detections.Count,
            [.. result.Detections.Select(d => d.Rank).Distinct().Order()],
            result.HonestRanksNamed,
            result.AttackerRanks,
            [.. result.Exclusions.Select(e => e.Rank)],
            result.ReplicasIdentical,
            result.Error);
    }

    private static void Print(IReadOnlyList<DefenceCell> cells, IReadOnlyList<string> defences, IReadOnlyList<string> attacks)
    {
        DefenceCell? Find(string d, string a) => cells.LastOrDefault(c => c.Defence == d && c.Attack == a);
        var baseline = Find(None, None);
        var accuracy = new Table().Border(TableBorder.Rounded).AddColumn("defence");
        accuracy.Title = new TableTitle("final test accuracy (difference to the plain ring without attack)");
        foreach (var attack in attacks)
        {
            accuracy.AddColumn(Markup.Escape(attack));
        }
        var cost = new Table().Border(TableBorder.Rounded).AddColumns("defence", "attack", "extra bytes/worker/iter (declared)", "ring bytes/worker/iter", "s/iter (extra vs plain)", "defence s/iter", "detections (ranks; honest named)", "excluded");
        cost.Title = new TableTitle("cost and detections");
        foreach (var defence in defences)
        {
            var row = new List<string> { Markup.Escape(defence) };
            foreach (var attack in attacks)
            {
                var cell = Find(defence, attack);
                row.Add(cell?.TestAccuracy is { } a
                    ? $"{a * 100:0.00} %{(baseline?.TestAccuracy is { } b ? $" ({(a - b) * 100:+0.00;-0.00})" : "")}"
                    : cell is null ? "not run" : Markup.Escape(cell.State));
                if (cell is not null)
                {
                    var plain = Find(None, attack) ?? baseline;
                    var extraTime = plain is null || ReferenceEquals(plain, cell) ? "" : $" ({cell.SecondsPerIteration - plain.SecondsPerIteration:+0.00;-0.00})";
                    cost.AddRow(
                        Markup.Escape(defence),
                        Markup.Escape(attack),
                        $"{cell.ExtraBytesPerWorkerPerIteration.ToString("N0", CultureInfo.InvariantCulture)} ({cell.DeclaredExtraBytesPerWorkerPerIteration.ToString("N0", CultureInfo.InvariantCulture)})",
                        cell.PlainBytesPerWorkerPerIteration.ToString("N0", CultureInfo.InvariantCulture),
                        $"{cell.SecondsPerIteration:0.00}{extraTime}",
                        $"{cell.DefenceSecondsPerIteration:0.000}",
                        $"{cell.Detections} ({string.Join(',', cell.RanksNamed)}; {(cell.HonestRanksNamed.Count == 0 ? "none" : string.Join(',', cell.HonestRanksNamed))})",
                        cell.Excluded.Count == 0 ? "-" : string.Join(',', cell.Excluded));
                }
            }
            accuracy.AddRow([.. row]);
        }
        AnsiConsole.Write(accuracy);
        AnsiConsole.Write(cost);
    }

    private static string Percent(double? value) => value is { } v ? $"{v * 100:0.00} %" : "n/a";
}
