namespace OrleansRing.Training;

/// <summary>What a <see cref="TrainingDeviceSelection"/> asks for.</summary>
public enum TrainingDeviceKind
{
    /// <summary>Every CUDA GPU TorchSharp reports, else the CPU.</summary>
    Auto = 0,

    Cpu = 1,

    /// <summary>Every CUDA GPU TorchSharp reports (or one, with an index); none is an error.</summary>
    Cuda = 2,
}
