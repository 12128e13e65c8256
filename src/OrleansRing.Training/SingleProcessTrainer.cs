using OrleansRing.Data;

namespace OrleansRing.Training;

/// <summary>
/// The reference for the ring: one model trained on explicitly given batches, by the same code as
/// <see cref="WorkerTrainer"/>. Training it on the union of all workers' batches of each iteration is
/// what the ring computes when the workers' mean gradients are averaged (equal per-worker batch sizes):
/// the mean of per-batch means is the mean over the union.
/// </summary>
public sealed class SingleProcessTrainer : IDisposable
{
    // Dropout is seeded apart from every worker rank (ranks are non-negative).
    private const long ReferenceRank = -1;

    private readonly Lock _gate = new();
    private readonly TrainerCore _core;

    /// <param name="options">Hyper-parameters; <see cref="TrainingOptions.BatchSize"/> is not used, the batches are given.</param>
    /// <param name="train">The training set the batch indices refer to.</param>
    /// <param name="normalization">As for <see cref="WorkerTrainer"/>; null: the statistics of <paramref name="train"/>.</param>
    /// <param name="device">Where the model lives; null: the CPU.</param>
    public SingleProcessTrainer(TrainingOptions options, ImageDataset train, ChannelStatistics? normalization = null, TrainingDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WorkerMomentum)
        {
            // One process has no workers: its optimizer keeps the momentum, which is the same step.
            throw new ArgumentException("A single-process trainer has no workers to keep momentum on; use WorkerMomentum = false.", nameof(options));
        }
        _core = new TrainerCore(options, train, normalization, Seeds.Derive(options.Seed, Seeds.DropoutStream, ReferenceRank), device);
    }

    public TrainingOptions Options => _core.Options;

    public int ParameterCount => _core.ParameterCount;

    public ChannelStatistics Normalization => _core.Normalization;

    /// <summary>
    /// Concatenates every worker's batch of <paramref name="iteration"/> in rank order: the global batch
    /// of one ring step.
    /// </summary>
    public static int[] UnionOfBatches(IEnumerable<ShardBatchSampler> workers, long iteration)
    {
        ArgumentNullException.ThrowIfNull(workers);
        return [.. workers.SelectMany(w => w.BatchIndices(iteration))];
    }

    /// <summary>One SGD step on the mean loss over <paramref name="batchIndices"/>.</summary>
    public BatchMetrics Step(ReadOnlySpan<int> batchIndices)
    {
        lock (_gate)
        {
            var metrics = _core.Backward(batchIndices, transformLabels: null);
            _core.StepInPlace();
            return metrics;
        }
    }

    /// <summary>Trains on each batch in turn; returns each step's metrics.</summary>
    public IReadOnlyList<BatchMetrics> Train(IEnumerable<int[]> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return [.. batches.Select(batch => Step(batch))];
    }

    /// <summary>The gradient of the mean loss over <paramref name="batchIndices"/>, without stepping.</summary>
    public BatchMetrics ComputeGradient(ReadOnlySpan<int> batchIndices, Span<float> gradient, LabelTransform? transformLabels = null)
    {
        lock (_gate)
        {
            var metrics = _core.Backward(batchIndices, transformLabels);
            _core.CopyGradient(gradient);
            return metrics;
        }
    }

    /// <summary>As <see cref="WorkerTrainer.ApplyGradient"/>.</summary>
    public void ApplyGradient(ReadOnlySpan<float> gradient)
    {
        lock (_gate)
        {
            _core.ApplyGradient(gradient);
        }
    }

    public EvaluationResult Evaluate(ImageDataset test, int batchSize = 500)
    {
        lock (_gate)
        {
            return _core.Evaluate(test, batchSize);
        }
    }

    public string ParameterHash()
    {
        lock (_gate)
        {
            return _core.ParameterHash();
        }
    }

    public float[] ExportParameters()
    {
        lock (_gate)
        {
            return _core.ExportParameters();
        }
    }

    public void ImportParameters(ReadOnlySpan<float> parameters)
    {
        lock (_gate)
        {
            _core.ImportParameters(parameters);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _core.Dispose();
        }
    }
}
