using System.Globalization;

namespace OrleansRing.Training;

/// <summary>
/// Which devices a silo trains on, as given by <c>--device</c>: <c>auto</c> (CUDA when TorchSharp reports it, else
/// the CPU), <c>cpu</c>, <c>cuda</c> (every visible GPU) or <c>cuda:INDEX</c> (one GPU).
/// </summary>
public sealed record TrainingDeviceSelection
{
    public const string Forms = "auto, cpu, cuda or cuda:INDEX";

    private TrainingDeviceSelection(TrainingDeviceKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    public static TrainingDeviceSelection Auto { get; } = new(TrainingDeviceKind.Auto, null);

    public static TrainingDeviceSelection Cpu { get; } = new(TrainingDeviceKind.Cpu, null);

    public TrainingDeviceKind Kind { get; }

    /// <summary>With <see cref="TrainingDeviceKind.Cuda"/>: the one GPU asked for; null means all of them.</summary>
    public int? Index { get; }

    /// <summary>Reads the text form (case-insensitive); a <see cref="FormatException"/> quotes the text and lists the forms.</summary>
    public static TrainingDeviceSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return Auto;
        }
        if (value == "cpu")
        {
            return Cpu;
        }
        if (value == "cuda")
        {
            return new TrainingDeviceSelection(TrainingDeviceKind.Cuda, null);
        }
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan("cuda:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new TrainingDeviceSelection(TrainingDeviceKind.Cuda, index);
        }
        throw new FormatException($"Device '{text}' is not one of {Forms}.");
    }

    /// <summary>
    /// The devices this selection means on this machine, CUDA devices in index order. Throws
    /// <see cref="TrainingDeviceUnavailableException"/> when CUDA is asked for and TorchSharp has none, or not that one.
    /// </summary>
    public IReadOnlyList<TrainingDevice> Resolve()
    {
        if (Kind == TrainingDeviceKind.Cpu)
        {
            return [TrainingDevice.Cpu];
        }
        var count = TorchRuntime.CudaDeviceCount;
        if (Kind == TrainingDeviceKind.Auto)
        {
            return count == 0 ? [TrainingDevice.Cpu] : [.. Enumerable.Range(0, count).Select(TrainingDevice.Cuda)];
        }
        if (count == 0)
        {
            var why = TorchRuntime.CudaBuildLoaded
                ? "the CUDA build of TorchSharp is loaded but sees no GPU (no driver in this container, NVIDIA_VISIBLE_DEVICES, or no nvidia.com/gpu limit?)"
                : "the CPU build of TorchSharp (TorchSharp-cpu) is loaded; GPU silos need the CUDA build (-p:TorchSharpBackend=cuda, the GPU image)";
            throw new TrainingDeviceUnavailableException($"CUDA requested ({this}) but TorchSharp reports no CUDA device: {why}.");
        }
        if (Index is { } index)
        {
            return index < count
                ? [TrainingDevice.Cuda(index)]
                : throw new TrainingDeviceUnavailableException($"CUDA device {index} requested ({this}) but TorchSharp reports {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0{(count > 1 ? $" to cuda:{count - 1}" : "")}).");
        }
        return [.. Enumerable.Range(0, count).Select(TrainingDevice.Cuda)];
    }

    public override string ToString() => Kind switch
    {
        TrainingDeviceKind.Auto => "auto",
        TrainingDeviceKind.Cpu => "cpu",
        _ => Index is { } index ? $"cuda:{index}" : "cuda",
    };
}
