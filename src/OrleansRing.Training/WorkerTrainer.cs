using OrleansRing.Data;

namespace OrleansRing.Training;

/// <summary>
/// One ring worker's replica: model, SGD optimizer and its shard of the training set. Each call is
/// synchronous and self-contained (its own dispose scope), so consecutive calls may come from different
/// thread-pool threads; calls on one instance are serialised by a lock. Intra-op threads are a process
/// setting (<see cref="TorchRuntime.SetIntraOpThreads"/>) and are left alone here.
/// </summary>
public sealed class WorkerTrainer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TrainerCore _core;
    private readonly int[] _batch;

    /// <param name="options">Run hyper-parameters; the same on every worker.</param>
    /// <param name="train">The training set (shared, read-only); normalisation statistics come from all of it.</param>
    /// <param name="shardIndices">The images of <paramref name="train"/> this worker owns.</param>
    /// <param name="rank">Worker rank: seeds this worker's shuffle and dropout, not its initial weights.</param>
    /// <param name="normalization">
    /// Per-channel statistics to standardise images with, the same on every worker; null: those of
    /// <paramref name="train"/>, computed once per dataset instance.
    /// </param>
    /// <param name="device">Where the model, optimizer state and batches live; null: the CPU.</param>
    public WorkerTrainer(TrainingOptions options, ImageDataset train, int[] shardIndices, int rank, ChannelStatistics? normalization = null, TrainingDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(shardIndices);
        options.Validate();
        foreach (var index in shardIndices)
        {
            if ((uint)index >= (uint)train.Count)
            {
                throw new ArgumentException($"Shard index {index} is outside {train.Name}'s {train.Count} images.", nameof(shardIndices));
            }
        }
        Sampler = new ShardBatchSampler(shardIndices, options.BatchSize, options.Seed, rank);
        _batch = new int[options.BatchSize];
        _core = new TrainerCore(options, train, normalization, Seeds.Derive(options.Seed, Seeds.DropoutStream, rank), device);
    }

    /// <summary>The device this replica trains on.</summary>
    public TrainingDevice Device => _core.Device;

    public TrainingOptions Options => _core.Options;

    /// <summary>
    /// Whether the saved state holds anything of this worker alone (its dropout stream, its momentum buffer): then
    /// no other replica's checkpoint can stand in for its own.
    /// </summary>
    public bool HasWorkerOwnState => _core.HasWorkerOwnState;

    public int Rank => Sampler.Rank;

    /// <summary>The statistics every image is standardised with (training and evaluation alike).</summary>
    public ChannelStatistics Normalization => _core.Normalization;

    /// <summary>Which images each iteration uses; the same function a reference trainer can replay.</summary>
    public ShardBatchSampler Sampler { get; }

    /// <summary>Length of a flattened gradient or parameter vector.</summary>
    public int ParameterCount => _core.ParameterCount;

    /// <summary>
    /// Forward and backward on iteration <paramref name="iteration"/>'s batch with mean cross-entropy,
    /// and the flattened gradient of all parameters (parameters() order) into <paramref name="gradient"/>.
    /// Weight decay is not in it: the optimizer adds it in <see cref="ApplyGradient"/>. With
    /// <see cref="TrainingOptions.WorkerMomentum"/> the span receives this worker's momentum buffer instead (weight decay
    /// included), which is what it contributes to the ring.
    /// </summary>
    /// <param name="iteration">Global step number, from 0.</param>
    /// <param name="gradient">Exactly <see cref="ParameterCount"/> floats.</param>
    /// <param name="transformLabels">Applied to a copy of the batch's labels before the forward pass.</param>
    public BatchMetrics ComputeGradient(long iteration, Span<float> gradient, LabelTransform? transformLabels = null)
    {
        lock (_gate)
        {
            Sampler.CopyBatchIndices(iteration, _batch);
            var metrics = _core.Backward(_batch, transformLabels);
            _core.CopyGradient(gradient);
            _core.AccumulateWorkerMomentum(gradient);
            return metrics;
        }
    }

    /// <summary>
    /// Writes <paramref name="averagedGradient"/> into each parameter's .grad and takes one SGD step
    /// (momentum, weight decay). Replicas with equal parameters and optimizer state that apply the same
    /// gradient end with bitwise-equal parameters.
    /// </summary>
    public void ApplyGradient(ReadOnlySpan<float> averagedGradient)
    {
        lock (_gate)
        {
            _core.ApplyGradient(averagedGradient);
        }
    }

    /// <summary>Mean loss and accuracy on <paramref name="test"/> in eval mode without autograd; train mode is restored.</summary>
    public EvaluationResult Evaluate(ImageDataset test, int batchSize = 500)
    {
        lock (_gate)
        {
            return _core.Evaluate(test, batchSize);
        }
    }

    /// <summary>Lower-case hex SHA-256 of all parameter bytes in parameters() order.</summary>
    public string ParameterHash()
    {
        lock (_gate)
        {
            return _core.ParameterHash();
        }
    }

    /// <summary>All parameters flattened in parameters() order.</summary>
    public float[] ExportParameters()
    {
        lock (_gate)
        {
            return _core.ExportParameters();
        }
    }

    /// <summary>Overwrites all parameters from a vector laid out as <see cref="ExportParameters"/>; optimizer state is kept.</summary>
    public void ImportParameters(ReadOnlySpan<float> parameters)
    {
        lock (_gate)
        {
            _core.ImportParameters(parameters);
        }
    }

    /// <summary>A checkpoint: parameters, momentum buffers and dropout generator state.</summary>
    public byte[] SaveState()
    {
        lock (_gate)
        {
            return _core.SaveState();
        }
    }

    /// <summary><see cref="SaveState()"/>'s bytes, written to <paramref name="destination"/>: a caller that checkpoints every iteration can reuse one buffer, or hash the state without keeping it.</summary>
    public void SaveState(Stream destination)
    {
        lock (_gate)
        {
            _core.SaveState(destination);
        }
    }

    /// <summary>Restores <see cref="SaveState()"/>'s output; training then continues bitwise as it would have.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a state of this model kind.</exception>
    public void LoadState(byte[] state)
    {
        lock (_gate)
        {
            _core.LoadState(state);
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
