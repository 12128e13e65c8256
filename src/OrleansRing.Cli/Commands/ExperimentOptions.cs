using System.CommandLine;
using OrleansRing.Abstractions;
using OrleansRing.Data;
using OrleansRing.Grains;
using OrleansRing.Grains.Compute;
using OrleansRing.Training;

namespace OrleansRing.Cli.Commands;

/// <summary>The options that describe one experiment, shared by `run` and `bench train`.</summary>
public sealed class ExperimentOptions
{
    private readonly Option<string> _model = new("--model") { Description = "paper-cnn (2 conv + 2 fc) or alexnet.", DefaultValueFactory = _ => "paper-cnn" };
    private readonly Option<int> _workers = new("--workers", "-n") { Description = "Workers in the ring.", DefaultValueFactory = _ => 8 };
    private readonly Option<string?> _data = new("--data") { Description = "CIFAR-10 binary: the cifar-10-batches-bin folder or a cifar-10-binary.tar.gz (also a partial one). Default: synthetic CIFAR-shaped data." };
    private readonly Option<int> _syntheticTrain = new("--synthetic-train") { Description = "Synthetic training images.", DefaultValueFactory = _ => 4096 };
    private readonly Option<int> _syntheticTest = new("--synthetic-test") { Description = "Synthetic test images.", DefaultValueFactory = _ => 1024 };
    private readonly Option<string> _partition = new("--partition") { Description = "iid, or dirichlet:ALPHA for non-IID shards (e.g. dirichlet:0.5).", DefaultValueFactory = _ => "iid" };
    private readonly Option<int> _iterations = new("--iterations") { Description = "Iterations to train (overrides --epochs)." };
    private readonly Option<double> _epochs = new("--epochs") { Description = "Passes over each worker's shard.", DefaultValueFactory = _ => 3 };
    private readonly Option<int> _batch = new("--batch") { Description = "Batch size per worker.", DefaultValueFactory = _ => 64 };
    private readonly Option<double> _learningRate = new("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.05 };
    private readonly Option<double> _momentum = new("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 };
    private readonly Option<string> _momentumAt = new("--momentum-at") { Description = "Where momentum lives: replica (after the ring) or worker (each worker contributes its momentum buffer; robust rules see lower-variance vectors).", DefaultValueFactory = _ => "replica" };
    private readonly Option<double> _weightDecay = new("--weight-decay") { Description = "SGD weight decay.", DefaultValueFactory = _ => 5e-4 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of model initialisation, batch order and synthetic data.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _dataSeed = new("--data-seed") { Description = "Seed of the split of training data across workers.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _evalInterval = new("--eval-interval") { Description = "Evaluate test accuracy and compare replicas every N iterations (and after the last).", DefaultValueFactory = _ => 10 };
    private readonly Option<int> _testLimit = new("--test-limit") { Description = "Evaluate on the first N test images only (0: all)." };
    private readonly Option<string?> _id = new("--id") { Description = "Experiment id (default: generated)." };
    private readonly Option<double> _stepTimeout = new("--step-timeout") { Description = "Seconds a worker waits for its predecessor's chunk before the run fails.", DefaultValueFactory = _ => 120 };
    private readonly Option<int> _concurrentWorkers = new("--concurrent-workers") { Description = "Workers computing at once in the silo (default: one per core)." };
    private readonly Option<int> _torchThreads = new("--torch-threads") { Description = "TorchSharp intra-op threads (default: 1 per concurrent worker)." };
    private readonly Option<string?> _device = new("--device") { Description = $"Embedded silo: where workers train, {TrainingDeviceSelection.Forms} (default auto: CUDA when TorchSharp reports it, else the CPU)." };
    private readonly Option<string?> _attack = new("--attack") { Description = "Attack plugin and parameters, NAME[:key=value,...] (see 'orleansring plugins list'), e.g. gradient-ascent:scale=-4." };
    private readonly Option<int> _attackers = new("--attackers") { Description = "Number of malicious workers, placed by --attacker-seed (default 1 with --attack)." };
    private readonly Option<string?> _attackerRanks = new("--attacker-ranks") { Description = "Explicit malicious ranks, comma-separated (e.g. 1,5); overrides --attackers." };
    private readonly Option<int> _attackerSeed = new("--attacker-seed") { Description = "Seed placing the attackers among the ranks.", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _defence = new("--defence") { Description = "Defence plugin and parameters, NAME[:key=value,...], run by every worker (see 'orleansring plugins list'), e.g. trimmed-mean:f=1 or allgather-commitments." };
    private readonly Option<string> _persistence = new("--persistence") { Description = "Chunk persistence: off, sync, async (default: write-behind, durable at every iteration) or reference.", DefaultValueFactory = _ => "async" };
    private readonly Option<string> _retention = new("--retention") { Description = "keep-all, keep-last:K (default keep-last:2) or delete-after-run.", DefaultValueFactory = _ => "keep-last:2" };
    private readonly Option<int> _checkpointInterval = new("--checkpoint-interval") { Description = "Checkpoint every worker every N iterations (0: never; a recovery redoes up to N − 1).", DefaultValueFactory = _ => ExperimentConfig.DefaultCheckpointInterval };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _model.AcceptOnlyFromAmong("paper-cnn", "alexnet");
        _persistence.AcceptOnlyFromAmong("off", "sync", "async", "reference");
        _momentumAt.AcceptOnlyFromAmong("replica", "worker");
        foreach (var option in new Option[] { _model, _workers, _data, _syntheticTrain, _syntheticTest, _partition, _iterations, _epochs, _batch, _learningRate, _momentum, _momentumAt, _weightDecay, _seed, _dataSeed, _evalInterval, _testLimit, _id, _stepTimeout, _concurrentWorkers, _torchThreads, _device, _attack, _attackers, _attackerRanks, _attackerSeed, _defence, _persistence, _retention, _checkpointInterval })
        {
            command.Add(option);
        }
    }

    /// <summary>Options that configure this machine's embedded silo or name the run locally: meaningless for a server.</summary>
    public bool AnyLocalOnlyGiven(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new Option[] { _id, _concurrentWorkers, _torchThreads, _device }.Any(o => parse.GetResult(o) is { Implicit: false });
    }

    /// <summary>
    /// The experiment options given on the command line as a run mapping for <c>POST /api/runs</c>: the same keys as a
    /// sweep file's <c>base</c> (each option's name), each value as typed, so the server applies its own defaults to
    /// the rest and checks the values with the sweep parser's messages.
    /// </summary>
    public string ToRunMapping(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var lines = new Option[] { _model, _workers, _data, _syntheticTrain, _syntheticTest, _partition, _iterations, _epochs, _batch, _learningRate, _momentum, _momentumAt, _weightDecay, _seed, _dataSeed, _evalInterval, _testLimit, _stepTimeout, _attack, _attackers, _attackerRanks, _attackerSeed, _defence, _persistence, _retention, _checkpointInterval }
            .Select(o => (Option: o, Result: parse.GetResult(o)))
            .Where(x => x.Result is { Implicit: false })
            // A JSON string is a YAML scalar: quoting keeps values such as "1,5" or "dirichlet:0.5" whole.
            .Select(x => $"{x.Option.Name.TrimStart('-')}: {System.Text.Json.JsonSerializer.Serialize(string.Join(",", x.Result!.Tokens.Select(t => t.Value)))}");
        var text = string.Join("\n", lines);
        return text.Length == 0 ? "{}" : text + "\n";
    }

    public ExperimentConfig ToConfig(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        PartitionSpec partition;
        try
        {
            partition = PartitionSpec.Parse(parse.GetValue(_partition) ?? "iid");
        }
        catch (FormatException ex)
        {
            throw new CommandLineException($"--partition: {ex.Message}", ex);
        }
        var dataPath = parse.GetValue(_data);
        if (dataPath is not null && !File.Exists(dataPath) && !Directory.Exists(dataPath))
        {
            throw new CommandLineException($"--data: '{dataPath}' is neither a file nor a folder.");
        }
        var seed = parse.GetValue(_seed);
        var (retention, retained) = ParseRetention(parse.GetValue(_retention) ?? "keep-last:2");
        var attack = parse.GetValue(_attack);
        var attackers = parse.GetValue(_attackers);
        var config = new ExperimentConfig
        {
            ExperimentId = parse.GetValue(_id) ?? $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}",
            Model = parse.GetValue(_model) == "alexnet" ? ModelArchitecture.AlexNet : ModelArchitecture.PaperCnn,
            Workers = parse.GetValue(_workers),
            Data = dataPath is null
                ? new DataSourceSpec { Kind = DataSourceKind.Synthetic, SyntheticTrainCount = parse.GetValue(_syntheticTrain), SyntheticTestCount = parse.GetValue(_syntheticTest), SyntheticSeed = seed, TestLimit = parse.GetValue(_testLimit) }
                : new DataSourceSpec { Kind = DataSourceKind.Cifar10, Path = Path.GetFullPath(dataPath), TestLimit = parse.GetValue(_testLimit) },
            Partition = partition.Kind == PartitionKind.Dirichlet ? PartitionScheme.Dirichlet : PartitionScheme.Iid,
            DirichletAlpha = partition.Kind == PartitionKind.Dirichlet ? partition.Alpha : 0.5,
            Iterations = parse.GetValue(_iterations),
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            LearningRate = parse.GetValue(_learningRate),
            Momentum = parse.GetValue(_momentum),
            MomentumAt = parse.GetValue(_momentumAt) == "worker" ? MomentumPlacement.Worker : MomentumPlacement.Replica,
            WeightDecay = parse.GetValue(_weightDecay),
            Seed = seed,
            DataSeed = parse.GetValue(_dataSeed),
            EvaluationInterval = parse.GetValue(_evalInterval),
            StepTimeout = TimeSpan.FromSeconds(parse.GetValue(_stepTimeout)),
            Attack = attack,
            AttackerCount = attack is not null && attackers == 0 ? 1 : attackers,
            AttackerRanks = parse.GetValue(_attackerRanks),
            AttackerSeed = parse.GetValue(_attackerSeed),
            Defence = parse.GetValue(_defence),
            Persistence = Enum.Parse<ChunkPersistence>(parse.GetValue(_persistence) ?? "async", ignoreCase: true),
            Retention = retention,
            RetainedIterations = retained,
            CheckpointInterval = parse.GetValue(_checkpointInterval),
        };
        var problems = ExperimentConfigValidator.Problems(config);
        if (problems.Count > 0)
        {
            throw new CommandLineException(string.Join("; ", problems));
        }
        var concurrent = parse.GetValue(_concurrentWorkers);
        var threads = parse.GetValue(_torchThreads);
        if (concurrent < 0 || threads < 0)
        {
            throw new CommandLineException("--concurrent-workers and --torch-threads must be ≥ 1 when given.");
        }
        if (parse.GetValue(_device) is { } device)
        {
            try
            {
                _ = TrainingDeviceSelection.Parse(device).Resolve();
            }
            catch (Exception ex) when (ex is FormatException or TrainingDeviceUnavailableException)
            {
                throw new CommandLineException($"--device: {ex.Message}", ex);
            }
        }
        return config;
    }

    private static (ChunkRetention Retention, int Retained) ParseRetention(string text)
    {
        if (text == "keep-all")
        {
            return (ChunkRetention.KeepAll, 2);
        }
        if (text == "delete-after-run")
        {
            return (ChunkRetention.DeleteAfterRun, 2);
        }
        if (text.StartsWith("keep-last:", StringComparison.Ordinal) && int.TryParse(text.AsSpan("keep-last:".Length), out var k) && k >= 1)
        {
            return (ChunkRetention.KeepLast, k);
        }
        throw new CommandLineException($"--retention: '{text}' is not keep-all, keep-last:K (K ≥ 1) or delete-after-run.");
    }

    /// <summary>The --device text, if given (it configures an embedded silo only).</summary>
    public string? Device(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(_device);
    }

    public Action<TrainingComputeOptions> ComputeOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var concurrent = parse.GetValue(_concurrentWorkers);
        var threads = parse.GetValue(_torchThreads);
        var device = parse.GetValue(_device);
        return options =>
        {
            if (device is not null)
            {
                options.Device = device;
            }
            if (concurrent > 0)
            {
                options.ConcurrentWorkers = concurrent;
            }
            if (threads > 0)
            {
                options.IntraOpThreads = threads;
            }
        };
    }
}
