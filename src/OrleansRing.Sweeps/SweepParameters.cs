using System.Globalization;
using OrleansRing.Abstractions;
using OrleansRing.Data;

namespace OrleansRing.Sweeps;

/// <summary>
/// Every key a sweep file may set, named as the `run` command's options are. Applied in this order, so `data`
/// comes before the synthetic-data keys that refine it.
/// </summary>
public static class SweepParameters
{
    public static IReadOnlyList<SweepParameter> All { get; } =
    [
        new("data", "synthetic, or a CIFAR-10 binary folder / .tar.gz (relative paths: from the sweep file's folder)", Data),
        new("model", "paper-cnn or alexnet", (text, _) => text switch
        {
            "paper-cnn" => (text, c => c with { Model = ModelArchitecture.PaperCnn }),
            "alexnet" => (text, c => c with { Model = ModelArchitecture.AlexNet }),
            _ => throw new FormatException($"'{text}' is not a model; use paper-cnn or alexnet."),
        }),
        new("workers", "workers in the ring", Int("workers", 1, 1024, (c, v) => c with { Workers = v })),
        new("synthetic-train", "synthetic training images", Int("synthetic-train", 1, 10_000_000, (c, v) => c with { Data = c.Data with { SyntheticTrainCount = v } })),
        new("synthetic-test", "synthetic test images", Int("synthetic-test", 1, 10_000_000, (c, v) => c with { Data = c.Data with { SyntheticTestCount = v } })),
        new("test-limit", "evaluate on the first N test images (0: all)", Int("test-limit", 0, int.MaxValue, (c, v) => c with { Data = c.Data with { TestLimit = v } })),
        new("partition", "iid or dirichlet:ALPHA", (text, _) =>
        {
            var spec = PartitionSpec.Parse(text);
            return spec.Kind == PartitionKind.Dirichlet
                ? (spec.ToString(), c => c with { Partition = PartitionScheme.Dirichlet, DirichletAlpha = spec.Alpha })
                : (spec.ToString(), c => c with { Partition = PartitionScheme.Iid });
        }),
        new("iterations", "iterations to train (overrides epochs)", Int("iterations", 1, int.MaxValue, (c, v) => c with { Iterations = v })),
        new("epochs", "passes over each worker's shard", Real("epochs", positive: true, (c, v) => c with { Epochs = v })),
        new("batch", "batch size per worker", Int("batch", 1, 65_536, (c, v) => c with { BatchSize = v })),
        new("lr", "SGD learning rate", Real("lr", positive: true, (c, v) => c with { LearningRate = v })),
        new("momentum", "SGD momentum", Real("momentum", positive: false, (c, v) => c with { Momentum = v })),
        new("momentum-at", "replica (momentum after the ring) or worker (each worker contributes its momentum buffer)", (text, _) => text switch
        {
            "replica" => (text, c => c with { MomentumAt = MomentumPlacement.Replica }),
            "worker" => (text, c => c with { MomentumAt = MomentumPlacement.Worker }),
            _ => throw new FormatException($"'{text}' is not replica or worker."),
        }),
        new("weight-decay", "SGD weight decay", Real("weight-decay", positive: false, (c, v) => c with { WeightDecay = v })),
        new("seed", "seed of initialisation, batch order and synthetic data", Int("seed", int.MinValue, int.MaxValue, (c, v) => c with { Seed = v, Data = c.Data with { SyntheticSeed = v } })),
        new("data-seed", "seed of the split of training data across workers", Int("data-seed", int.MinValue, int.MaxValue, (c, v) => c with { DataSeed = v })),
        new("eval-interval", "evaluate and compare replicas every N iterations (and after the last)", Int("eval-interval", 1, int.MaxValue, (c, v) => c with { EvaluationInterval = v })),
        new("step-timeout", "seconds a worker waits for its predecessor's chunk", Real("step-timeout", positive: true, (c, v) => c with { StepTimeout = TimeSpan.FromSeconds(v) })),
        new("attack", "none, or an attack plugin NAME[:key=value,...] (or a mapping name: ..., key: value-or-list)", (text, _) =>
            text == "none" ? (text, c => c with { Attack = null }) : (text, c => c with { Attack = text }))
        { AcceptsPluginMapping = true },
        new("defence", "none, or a defence plugin NAME[:key=value,...] (or a mapping name: ..., key: value-or-list)", (text, _) =>
            text == "none" ? (text, c => c with { Defence = null }) : (text, c => c with { Defence = text }))
        { AcceptsPluginMapping = true },
        new("attackers", "number of malicious workers (default 1 with an attack)", Int("attackers", 0, 1024, (c, v) => c with { AttackerCount = v })),
        new("attacker-ranks", "explicit malicious ranks, e.g. \"1,5\"", (text, _) =>
        {
            var ranks = text.Split(',', StringSplitOptions.TrimEntries);
            if (ranks.Any(r => !int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out int _)))
            {
                throw new FormatException($"'{text}' is not a comma-separated list of ranks (e.g. \"1,5\").");
            }
            var normalised = string.Join(',', ranks.Select(r => int.Parse(r, CultureInfo.InvariantCulture)));
            return (normalised, c => c with { AttackerRanks = normalised });
        }),
        new("attacker-seed", "seed placing the attackers among the ranks", Int("attacker-seed", int.MinValue, int.MaxValue, (c, v) => c with { AttackerSeed = v })),
        new("persistence", "off, sync, async or reference", (text, _) =>
            text is "off" or "sync" or "async" or "reference"
                ? (text, c => c with { Persistence = Enum.Parse<ChunkPersistence>(text, ignoreCase: true) })
                : throw new FormatException($"'{text}' is not off, sync, async or reference.")),
        new("retention", "keep-all, keep-last:K or delete-after-run", Retention),
        new("checkpoint-interval", "checkpoint every N iterations (0: never)", Int("checkpoint-interval", 0, int.MaxValue, (c, v) => c with { CheckpointInterval = v })),
        new("divergence-loss", "training loss above which a run stops as diverged (0: only non-finite)", Real("divergence-loss", positive: false, (c, v) => c with { DivergenceLoss = v })),
    ];

    public static SweepParameter? Find(string key) => All.FirstOrDefault(p => p.Key == key);

    /// <summary>The configuration every experiment starts from: the `run` command's defaults.</summary>
    public static ExperimentConfig Defaults { get; } = new()
    {
        ExperimentId = "sweep",
        Epochs = 3,
        EvaluationInterval = 10,
        StepTimeout = TimeSpan.FromSeconds(120),
    };

    private static (string, Func<ExperimentConfig, ExperimentConfig>) Data(string text, SweepParseContext context)
    {
        if (text == "synthetic")
        {
            return (text, c => c with { Data = c.Data with { Kind = DataSourceKind.Synthetic, Path = null } });
        }
        var path = Path.GetFullPath(Path.Combine(context.BaseFolder, text));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FormatException($"'{text}' is neither 'synthetic' nor an existing file or folder (looked for {path}).");
        }
        return (text, c => c with { Data = c.Data with { Kind = DataSourceKind.Cifar10, Path = path } });
    }

    private static (string, Func<ExperimentConfig, ExperimentConfig>) Retention(string text, SweepParseContext context)
    {
        if (text is "keep-all" or "delete-after-run")
        {
            var kind = text == "keep-all" ? ChunkRetention.KeepAll : ChunkRetention.DeleteAfterRun;
            return (text, c => c with { Retention = kind });
        }
        if (text.StartsWith("keep-last:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan("keep-last:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1)
        {
            return (text, c => c with { Retention = ChunkRetention.KeepLast, RetainedIterations = k });
        }
        throw new FormatException($"'{text}' is not keep-all, keep-last:K (K ≥ 1) or delete-after-run.");
    }

    private static Func<string, SweepParseContext, (string, Func<ExperimentConfig, ExperimentConfig>)> Int(
        string key, int min, int max, Func<ExperimentConfig, int, ExperimentConfig> apply) =>
        (text, _) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? (value.ToString(CultureInfo.InvariantCulture), c => apply(c, value))
            : throw new FormatException($"{key} must be a whole number in [{min}, {max}], got '{text}'.");

    private static Func<string, SweepParseContext, (string, Func<ExperimentConfig, ExperimentConfig>)> Real(
        string key, bool positive, Func<ExperimentConfig, double, ExperimentConfig> apply) =>
        (text, _) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && (positive ? value > 0 : value >= 0)
            ? (value.ToString("R", CultureInfo.InvariantCulture), c => apply(c, value))
            : throw new FormatException($"{key} must be a finite number {(positive ? "> 0" : "≥ 0")}, got '{text}'.");
}
