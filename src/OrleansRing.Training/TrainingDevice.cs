namespace OrleansRing.Training;

/// <summary>
/// The one device a trainer's model, optimizer state and batches live on: the CPU or one CUDA GPU. Text form
/// <c>cpu</c> or <c>cuda:INDEX</c>. Pick one from a <see cref="TrainingDeviceSelection"/> with
/// <see cref="TrainingDeviceSelection.Resolve"/>, which checks that it exists.
/// </summary>
public sealed record TrainingDevice
{
    private TrainingDevice(bool isCuda, int index)
    {
        IsCuda = isCuda;
        Index = index;
    }

    public static TrainingDevice Cpu { get; } = new(isCuda: false, index: 0);

    public bool IsCuda { get; }

    /// <summary>The CUDA device index (0 for the CPU).</summary>
    public int Index { get; }

    /// <summary>CUDA device <paramref name="index"/>; whether it exists is checked by <see cref="TrainingDeviceSelection.Resolve"/>.</summary>
    public static TrainingDevice Cuda(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new TrainingDevice(isCuda: true, index);
    }

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";

    internal TorchSharp.torch.Device ToTorch() => IsCuda ? new TorchSharp.torch.Device(TorchSharp.DeviceType.CUDA, Index) : TorchSharp.torch.CPU;
}
