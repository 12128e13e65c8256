using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OrleansRing.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansRing.Training;

/// <summary>
/// One model, its SGD optimizer and the training data: the shared body of <see cref="WorkerTrainer"/>
/// and <see cref="SingleProcessTrainer"/>, so both train by literally the same code. Every method opens
/// and closes its own dispose scope and is synchronous; callers serialise access.
/// </summary>
/// <remarks>
/// On a CUDA device the model, the optimizer state and each batch live on the GPU; weights are initialised on the
/// CPU (the seeded generator is a CPU one) and then moved, so every device starts from the same weights. Flat
/// vectors (gradients, parameters) cross to and from the host once per parameter tensor.
/// </remarks>
internal sealed class TrainerCore : IDisposable
{
    private const int StateMagic = 0x5354524F; // "ORTS" little-endian
    private const int StateVersion = 2; // 2: the worker momentum buffer after the dropout generator

    // Statistics computed for a dataset instance, so the workers of a silo that share one training set
    // pass over its pixels once, not once each.
    private static readonly ConditionalWeakTable<ImageDataset, ChannelStatistics> s_statistics = [];

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Parameter[] _parameters;
    private readonly int[] _sizes;
    private readonly SGD _optimizer;
    private readonly Generator? _dropoutGenerator;
    private readonly torch.Device _device;
    private byte[] _labels = [];
    private float[]? _workerMomentum;
    private float[]? _parameterScratch;
    private bool _disposed;

    /// <param name="options">Hyper-parameters; validated here.</param>
    /// <param name="train">Images that batch indices refer to.</param>
    /// <param name="normalization">Statistics to standardise every image with; null: those of <paramref name="train"/>.</param>
    /// <param name="dropoutSeed">Seed of this trainer's own dropout generator.</param>
    /// <param name="device">Where the model and batches live; null: the CPU.</param>
    public TrainerCore(TrainingOptions options, ImageDataset train, ChannelStatistics? normalization, ulong dropoutSeed, TrainingDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        options.Validate();
        if (train.ClassCount > ModelFactory.ClassCount)
        {
            throw new ArgumentException($"{train.Name} has {train.ClassCount} classes; the models output {ModelFactory.ClassCount}.", nameof(train));
        }
        TorchRuntime.EnsureInitialized();
        Options = options;
        Train = train;
        Normalization = normalization ?? s_statistics.GetValue(train, ChannelStatistics.Compute);
        Device = device ?? TrainingDevice.Cpu;
        _device = Device.ToTorch();
        // Dropout masks are drawn on the model's device, so the generator must live there too.
        _dropoutGenerator = options.Model == ModelKind.AlexNet ? new Generator(dropoutSeed, _device) : null;
        try
        {
            _model = ModelFactory.Create(options.Model, options.Seed, _dropoutGenerator);
            if (Device.IsCuda)
            {
                // Before parameters() is read: moving replaces the parameter tensors.
                _model.to(_device);
            }
            _model.train();
            _parameters = [.. _model.parameters()];
            _sizes = [.. _parameters.Select(p => checked((int)p.numel()))];
            ParameterCount = _sizes.Sum();
            // With worker momentum the contribution already holds momentum and weight decay: the step is plain SGD.
            _optimizer = options.WorkerMomentum
                ? optim.SGD(_parameters, options.LearningRate)
                : optim.SGD(_parameters, options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
        }
        catch
        {
            _model?.Dispose();
            _dropoutGenerator?.Dispose();
            throw;
        }
    }

    public TrainingOptions Options { get; }

    /// <summary>
    /// Whether <see cref="SaveState()"/> holds state of this worker alone (a dropout generator, a worker momentum
    /// buffer), so that replicas' states differ even when their parameters agree.
    /// </summary>
    public bool HasWorkerOwnState => _dropoutGenerator is not null || Options.WorkerMomentum;

    public TrainingDevice Device { get; }

    public ImageDataset Train { get; }

    public int ParameterCount { get; }

    public ChannelStatistics Normalization { get; }

    public nn.Module<Tensor, Tensor> Model => _model;

    /// <summary>Forward and backward on <paramref name="indices"/>; leaves the gradient in the parameters' .grad.</summary>
    public BatchMetrics Backward(ReadOnlySpan<int> indices, LabelTransform? transformLabels)
    {
        ThrowIfDisposed();
        TorchRuntime.ApplyIntraOpThreadsToCurrentThread();
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var (input, target) = BuildBatch(Train, indices, transformLabels);
        var logits = _model.forward(input);
        var loss = nn.functional.cross_entropy(logits, target);
        loss.backward();
        var correct = logits.argmax(1).eq(target).sum().item<long>();
        return new BatchMetrics(loss.item<float>(), (int)correct, indices.Length);
    }

    /// <summary>Copies every parameter's gradient, in parameters() order, into one flat span.</summary>
    public void CopyGradient(Span<float> gradient)
    {
        ThrowIfDisposed();
        CheckLength(gradient.Length, nameof(gradient));
        using var scope = NewDisposeScope();
        var offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var target = gradient.Slice(offset, _sizes[i]);
            var grad = _parameters[i].grad;
            if (grad is null)
            {
                // A parameter the loss does not reach has a zero gradient.
                target.Clear();
            }
            else
            {
                CopyToHost(grad, target);
            }
            offset += _sizes[i];
        }
    }

    /// <summary>
    /// With <see cref="TrainingOptions.WorkerMomentum"/>: turns the flat gradient into this worker's contribution, d = g + λ·θ,
    /// m ← d on the first call and β·m + d after, as PyTorch's SGD updates its buffer; otherwise leaves it alone.
    /// </summary>
    public void AccumulateWorkerMomentum(Span<float> gradient)
    {
        ThrowIfDisposed();
        if (!Options.WorkerMomentum)
        {
            return;
        }
        CheckLength(gradient.Length, nameof(gradient));
        var decay = (float)Options.WeightDecay;
        if (decay != 0)
        {
            // A buffer kept across iterations: a fresh copy of every parameter each step would be a large-object allocation.
            var parameters = _parameterScratch ??= new float[ParameterCount];
            CopyParameters(parameters);
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] += decay * parameters[i];
            }
        }
        if (_workerMomentum is null)
        {
            _workerMomentum = gradient.ToArray();
            return;
        }
        var beta = (float)Options.Momentum;
        var buffer = _workerMomentum;
        for (var i = 0; i < gradient.Length; i++)
        {
            buffer[i] = (beta * buffer[i]) + gradient[i];
            gradient[i] = buffer[i];
        }
    }

    /// <summary>Writes <paramref name="gradient"/> into the parameters' .grad and takes one SGD step.</summary>
    public void ApplyGradient(ReadOnlySpan<float> gradient)
    {
        ThrowIfDisposed();
        TorchRuntime.ApplyIntraOpThreadsToCurrentThread();
        CheckLength(gradient.Length, nameof(gradient));
        using var scope = NewDisposeScope();
        var offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
            {
                grad = zeros_like(parameter);
                parameter.grad = grad;
            }
            CopyFromHost(gradient.Slice(offset, _sizes[i]), grad);
            offset += _sizes[i];
        }
        _optimizer.step();
    }

    /// <summary>One SGD step on the gradient that <see cref="Backward"/> left in place.</summary>
    public void StepInPlace()
    {
        ThrowIfDisposed();
        TorchRuntime.ApplyIntraOpThreadsToCurrentThread();
        using var scope = NewDisposeScope();
        _optimizer.step();
    }

    public EvaluationResult Evaluate(ImageDataset test, int batchSize)
    {
        ThrowIfDisposed();
        TorchRuntime.ApplyIntraOpThreadsToCurrentThread();
        ArgumentNullException.ThrowIfNull(test);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (test.ClassCount > ModelFactory.ClassCount)
        {
            throw new ArgumentException($"{test.Name} has {test.ClassCount} classes; the models output {ModelFactory.ClassCount}.", nameof(test));
        }
        var indices = new int[Math.Min(batchSize, test.Count)];
        double lossSum = 0;
        long correct = 0;
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < test.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(batchSize, test.Count - start);
                for (var i = 0; i < count; i++)
                {
                    indices[i] = start + i;
                }
                var (input, target) = BuildBatch(test, indices.AsSpan(0, count), transformLabels: null);
                var logits = _model.forward(input);
                lossSum += nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(target).sum().item<long>();
            }
        }
        finally
        {
            _model.train();
        }
        return new EvaluationResult(test.Count == 0 ? 0 : lossSum / test.Count, (int)correct, test.Count);
    }

    public string ParameterHash()
    {
        ThrowIfDisposed();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var parameter in _parameters)
        {
            if (parameter.device_type == DeviceType.CPU)
            {
                hash.AppendData(parameter.bytes);
            }
            else
            {
                using var host = parameter.cpu();
                hash.AppendData(host.bytes);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public float[] ExportParameters()
    {
        ThrowIfDisposed();
        var values = new float[ParameterCount];
        CopyParameters(values);
        return values;
    }

    private void CopyParameters(Span<float> values)
    {
        var offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            CopyToHost(_parameters[i], values.Slice(offset, _sizes[i]));
            offset += _sizes[i];
        }
    }

    public void ImportParameters(ReadOnlySpan<float> values)
    {
        ThrowIfDisposed();
        CheckLength(values.Length, "parameters");
        // Raw writes bypass autograd, which is fine: no graph is alive between calls.
        using var scope = NewDisposeScope();
        var offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            CopyFromHost(values.Slice(offset, _sizes[i]), _parameters[i]);
            offset += _sizes[i];
        }
    }

    /// <summary>Model, optimizer (momentum buffers) and dropout generator state.</summary>
    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        SaveState(stream);
        return stream.ToArray();
    }

    /// <summary><see cref="SaveState()"/>'s bytes, written to <paramref name="destination"/> (left open).</summary>
    public void SaveState(Stream destination)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(destination);
        using (var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(StateMagic);
            writer.Write(StateVersion);
            writer.Write((int)Options.Model);
            writer.Write(ParameterCount);
            _model.save(writer);
            _optimizer.save_state_dict(writer);
            if (_dropoutGenerator is null)
            {
                writer.Write(-1);
            }
            else
            {
                using var scope = NewDisposeScope();
                var state = _dropoutGenerator.get_state();
                var bytes = state.bytes;
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
            writer.Write(_workerMomentum?.Length ?? -1);
            if (_workerMomentum is not null)
            {
                writer.Write(MemoryMarshal.AsBytes(_workerMomentum.AsSpan()));
            }
        }
    }

    public void LoadState(byte[] state)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(state);
        using var stream = new MemoryStream(state, writable: false);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadInt32() != StateMagic)
            {
                throw new InvalidDataException("Not a trainer state (wrong magic number).");
            }
            var version = reader.ReadInt32();
            if (version is < 1 or > StateVersion)
            {
                throw new InvalidDataException($"Trainer state version {version} is not supported (expected 1 to {StateVersion}).");
            }
            var kind = (ModelKind)reader.ReadInt32();
            var count = reader.ReadInt32();
            if (kind != Options.Model || count != ParameterCount)
            {
                throw new InvalidDataException($"The state is of {kind} with {count} parameters; this trainer has {Options.Model} with {ParameterCount}.");
            }
            _model.load(reader);
            _optimizer.load_state_dict(reader);
            var generatorBytes = reader.ReadInt32();
            if ((generatorBytes >= 0) != (_dropoutGenerator is not null))
            {
                throw new InvalidDataException("The state's dropout generator does not match this trainer's model.");
            }
            if (_dropoutGenerator is not null)
            {
                using var scope = NewDisposeScope();
                var bytes = reader.ReadBytes(generatorBytes);
                _dropoutGenerator.set_state(tensor(bytes, ScalarType.Byte));
            }
            _workerMomentum = version >= 2 ? ReadWorkerMomentum(reader) : null;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The trainer state is truncated.", e);
        }
    }

    private float[]? ReadWorkerMomentum(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0)
        {
            return null;
        }
        if (length != ParameterCount || !Options.WorkerMomentum)
        {
            throw new InvalidDataException($"The state holds a worker momentum buffer of {length} values; this trainer {(Options.WorkerMomentum ? $"needs {ParameterCount}" : "keeps none")}.");
        }
        var buffer = new float[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan()));
        return buffer;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _optimizer.Dispose();
        _model.Dispose();
        _dropoutGenerator?.Dispose();
    }

    private static Span<float> Floats(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || !tensor.is_contiguous())
        {
            throw new InvalidOperationException("Parameters and gradients must be contiguous float32 tensors.");
        }
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }

    /// <summary>A tensor's values into host memory: in place on the CPU, through one device-to-host copy otherwise.</summary>
    private static void CopyToHost(Tensor tensor, Span<float> destination)
    {
        if (tensor.device_type == DeviceType.CPU)
        {
            Floats(tensor).CopyTo(destination);
            return;
        }
        using var host = tensor.detach().cpu();
        Floats(host).CopyTo(destination);
    }

    /// <summary>Host values into a tensor: in place on the CPU, through one host-to-device copy otherwise (outside autograd).</summary>
    private static void CopyFromHost(ReadOnlySpan<float> source, Tensor tensor)
    {
        if (tensor.device_type == DeviceType.CPU)
        {
            source.CopyTo(Floats(tensor));
            return;
        }
        using var host = empty(tensor.shape, ScalarType.Float32);
        source.CopyTo(Floats(host));
        using var noGrad = no_grad();
        tensor.copy_(host);
    }

    /// <summary>Normalised [N,3,32,32] images and int64 labels, both in the current dispose scope.</summary>
    private (Tensor Input, Tensor Target) BuildBatch(ImageDataset dataset, ReadOnlySpan<int> indices, LabelTransform? transformLabels)
    {
        if (indices.Length == 0)
        {
            throw new ArgumentException("A batch needs at least one image.", nameof(indices));
        }
        var input = empty(indices.Length, ImageDataset.Channels, ImageDataset.Height, ImageDataset.Width, ScalarType.Float32);
        var target = empty(indices.Length, ScalarType.Int64);
        Normalization.NormalizeBatch(dataset, indices, Floats(input));
        var labels = MemoryMarshal.Cast<byte, long>(target.bytes);
        if (_labels.Length < indices.Length)
        {
            _labels = new byte[indices.Length];
        }
        var batchLabels = _labels.AsSpan(0, indices.Length);
        var datasetLabels = dataset.Labels;
        for (var i = 0; i < indices.Length; i++)
        {
            batchLabels[i] = datasetLabels[indices[i]];
        }
        transformLabels?.Invoke(batchLabels);
        for (var i = 0; i < batchLabels.Length; i++)
        {
            if (batchLabels[i] >= dataset.ClassCount)
            {
                throw new InvalidOperationException($"The label transform produced label {batchLabels[i]}, outside [0, {dataset.ClassCount}).");
            }
            labels[i] = batchLabels[i];
        }
        // Built on the host (the normalisation writes raw floats), then moved in one copy each.
        return Device.IsCuda ? (input.to(_device), target.to(_device)) : (input, target);
    }

    private void CheckLength(int length, string name)
    {
        if (length != ParameterCount)
        {
            throw new ArgumentException($"Expected {ParameterCount} values (one per parameter), got {length}.", name);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
