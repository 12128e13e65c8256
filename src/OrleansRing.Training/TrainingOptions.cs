namespace OrleansRing.Training;

/// <summary>
/// Hyper-parameters of one training run, shared by all workers of the ring. The defaults suit
/// <see cref="ModelKind.PaperCnn"/> with 8 workers × 64 images: plain SGD with momentum at a global
/// batch of 512 tolerates a learning rate of 0.05.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Keeps one batch's input tensor well inside int-indexed spans (65,536 × 3,072 floats = 768 MiB).</summary>
    public const int MaxBatchSize = 65_536;

    public ModelKind Model { get; init; } = ModelKind.PaperCnn;

    public double LearningRate { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// Momentum on the worker, before the ring: the worker's contribution is its own buffer m ← β·m + (g + λ·θ), and the
    /// optimizer then takes a plain SGD step (no momentum, no weight decay) on the ring's result. With the mean this is
    /// PyTorch's SGD step up to rounding; robust rules get vectors of lower variance.
    /// </summary>
    public bool WorkerMomentum { get; init; }

    /// <summary>L2 penalty, applied by the optimizer to the parameters, not added to the exchanged gradient (except with <see cref="WorkerMomentum"/>).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Images per worker per iteration.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seed of the initial weights (equal on every replica) and, mixed with the rank, of shuffles and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Model))
        {
            problems.Add($"Model must be one of {string.Join(", ", Enum.GetNames<ModelKind>())}, was {(int)Model}.");
        }
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            problems.Add($"LearningRate must be a finite number > 0, was {LearningRate}.");
        }
        if (!double.IsFinite(Momentum) || Momentum < 0 || Momentum >= 1)
        {
            problems.Add($"Momentum must be in [0, 1), was {Momentum}.");
        }
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0)
        {
            problems.Add($"WeightDecay must be a finite number >= 0, was {WeightDecay}.");
        }
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
        {
            problems.Add($"BatchSize must be in [1, {MaxBatchSize}], was {BatchSize}.");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid training options: " + string.Join(" ", problems));
        }
    }
}
