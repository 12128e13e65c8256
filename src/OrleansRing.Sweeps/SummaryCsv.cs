using System.Globalization;
using System.Text;
using OrleansRing.Results;

namespace OrleansRing.Sweeps;

/// <summary>summary.csv: one row per experiment, its settings as columns, then its final metrics.</summary>
public static class SummaryCsv
{
    public static readonly string[] MetricColumns =
    [
        "state", "final_test_accuracy", "final_test_loss", "final_train_accuracy", "final_train_loss",
        "iterations", "total_iterations", "diverged_at_iteration", "replicas_identical", "wall_seconds",
        "bytes_sent_per_worker", "attacker_ranks", "error",
    ];

    public static void Write(string path, SweepDefinition sweep, IReadOnlyList<SweepExperimentRecord> records, SweepFolder folder)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(folder);
        var keys = SweepParameters.All.Select(p => p.Key).Where(k => sweep.Experiments.Any(e => e.Value(k) is not null)).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', new[] { "experiment_id" }.Concat(keys.Select(k => k.Replace('-', '_'))).Concat(MetricColumns)).Append('\n');
        foreach (var (experiment, record) in sweep.Experiments.Zip(records))
        {
            var result = ResultFiles.TryRead(folder.ExperimentFolder(experiment.Id))?.Result;
            var last = result?.Iterations.Count > 0 ? result.Iterations[^1] : null;
            var cells = new List<string?> { experiment.Id };
            cells.AddRange(keys.Select(experiment.Value));
            cells.AddRange(
            [
                record.State.ToString().ToLowerInvariant(),
                Number(result?.FinalTestAccuracy), Number(result?.FinalTestLoss),
                Number(last?.TrainAccuracy), Number(last?.TrainLoss),
                result?.Iterations.Count.ToString(CultureInfo.InvariantCulture),
                result?.TotalIterations.ToString(CultureInfo.InvariantCulture),
                result?.DivergedAtIteration?.ToString(CultureInfo.InvariantCulture),
                result is null ? null : result.ReplicasIdentical ? "true" : "false",
                Number(result?.WallSeconds),
                result is { BytesSentPerWorker.Count: > 0 } ? ((long)result.BytesSentPerWorker.Average()).ToString(CultureInfo.InvariantCulture) : null,
                result is null ? null : string.Join(' ', result.AttackerRanks),
                record.Error,
            ]);
            csv.AppendJoin(',', cells.Select(Escape)).Append('\n');
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, csv.ToString());
    }

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string? cell) =>
        cell is null ? "" : cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
