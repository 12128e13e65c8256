namespace OrleansRing.Grains.Compute;

/// <summary>How a silo runs tensor work. Bound from configuration section "OrleansRing:Compute".</summary>
public sealed class TrainingComputeOptions
{
    public const string SectionName = "OrleansRing:Compute";

    /// <summary>Default <see cref="WorkersPerDevice"/>: a few workers keep a GPU busy while others wait on the ring.</summary>
    public const int DefaultWorkersPerDevice = 2;

    /// <summary>CPU device: workers computing at the same time in this silo (default: one per core).</summary>
    public int ConcurrentWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>TorchSharp intra-op threads for the process (default: 1, as each concurrent worker has its own core).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Where workers train: <c>auto</c> (default: every CUDA GPU TorchSharp reports, else the CPU), <c>cpu</c>,
    /// <c>cuda</c> or <c>cuda:INDEX</c>; see <see cref="OrleansRing.Training.TrainingDeviceSelection"/>.
    /// </summary>
    public string Device { get; set; } = "auto";

    /// <summary>CUDA devices: workers computing on one GPU at the same time; more workers than this queue for it.</summary>
    public int WorkersPerDevice { get; set; } = DefaultWorkersPerDevice;
}
