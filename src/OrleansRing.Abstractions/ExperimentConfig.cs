namespace OrleansRing.Abstractions;

/// <summary>Everything that determines one experiment; the same config and seeds give the same model, bit for bit.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.experiment-config")]
public sealed record ExperimentConfig
{
    [Id(0)] public required string ExperimentId { get; init; }

    [Id(1)] public ModelArchitecture Model { get; init; } = ModelArchitecture.PaperCnn;

    [Id(2)] public int Workers { get; init; } = 8;

    [Id(3)] public DataSourceSpec Data { get; init; } = new();

    [Id(4)] public PartitionScheme Partition { get; init; } = PartitionScheme.Iid;

    [Id(5)] public double DirichletAlpha { get; init; } = 0.5;

    /// <summary>Iterations to train; 0 means derive them from <see cref="Epochs"/>.</summary>
    [Id(6)] public int Iterations { get; init; }

    /// <summary>Passes over each worker's shard, used when <see cref="Iterations"/> is 0.</summary>
    [Id(7)] public double Epochs { get; init; } = 1;

    [Id(8)] public int BatchSize { get; init; } = 64;

    [Id(9)] public double LearningRate { get; init; } = 0.05;

    [Id(10)] public double Momentum { get; init; } = 0.9;

    [Id(11)] public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Where the momentum buffer lives: on every replica (after the ring) or on every worker (before it).</summary>
    [Id(26)] public MomentumPlacement MomentumAt { get; init; } = MomentumPlacement.Replica;

    /// <summary>Model initialisation and batch order.</summary>
    [Id(12)] public int Seed { get; init; } = 1;

    /// <summary>How the training set is split across workers (separate from <see cref="Seed"/>).</summary>
    [Id(13)] public int DataSeed { get; init; } = 1;

    /// <summary>Evaluate test accuracy and compare replicas every N iterations (and after the last).</summary>
    [Id(14)] public int EvaluationInterval { get; init; } = 50;

    /// <summary>How long a worker waits for its predecessor's chunk before the iteration fails.</summary>
    [Id(15)] public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Chunk persistence. Async by default: chunks and checkpoints are durable at every iteration boundary,
    /// which is what recovery needs, while the ring's steps never wait for the store.
    /// </summary>
    [Id(16)] public ChunkPersistence Persistence { get; init; } = ChunkPersistence.Async;

    [Id(17)] public ChunkRetention Retention { get; init; } = ChunkRetention.KeepLast;

    /// <summary>Iterations kept under <see cref="ChunkRetention.KeepLast"/>.</summary>
    [Id(18)] public int RetainedIterations { get; init; } = 2;

    /// <summary>
    /// Checkpoint every worker's model and optimizer every N iterations (0: never; then a lost silo restarts the run).
    /// A recovery redoes at most N − 1 iterations, deterministically; each checkpoint costs every rank a serialised,
    /// hashed state and the store a state-sized write, so 1 made checkpoints half of what persistence costs (README).
    /// </summary>
    [Id(19)] public int CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    /// <summary>The default <see cref="CheckpointInterval"/>: a recovery redoes at most 9 iterations, and checkpoints come a tenth as often.</summary>
    public const int DefaultCheckpointInterval = 10;

    /// <summary>How many times a run may recover from lost workers before it fails.</summary>
    [Id(20)] public int MaxRecoveries { get; init; } = 5;

    /// <summary>The attack plugin and its parameters, "NAME[:key=value,...]" (null: no attack).</summary>
    [Id(21)] public string? Attack { get; init; }

    /// <summary>Attackers placed by <see cref="AttackerSeed"/> (ignored when <see cref="AttackerRanks"/> is given).</summary>
    [Id(22)] public int AttackerCount { get; init; }

    /// <summary>Explicit attacker ranks, comma-separated (e.g. "1,5"); a string keeps the config's value equality.</summary>
    [Id(23)] public string? AttackerRanks { get; init; }

    [Id(24)] public int AttackerSeed { get; init; } = 1;

    /// <summary>The defence plugin and its parameters, "NAME[:key=value,...]", run by every worker (null: the plain ring).</summary>
    [Id(25)] public string? Defence { get; init; }

    /// <summary>
    /// Training loss above which the run stops early as diverged, as the paper reports for some attacks;
    /// a non-finite loss always does. 0 turns the bound off (non-finite still stops).
    /// </summary>
    [Id(40)] public double DivergenceLoss { get; init; } = 1e4;

    /// <summary>Whether every rank checkpoints after <paramref name="iteration"/>: the interval says so and chunks persist at all.</summary>
    public bool CheckpointsAfter(long iteration) =>
        Persistence != ChunkPersistence.Off && CheckpointInterval > 0 && (iteration + 1) % CheckpointInterval == 0;
}
