namespace OrleansRing.Grains.Compute;

/// <summary>How a silo runs tensor work. Bound from configuration section "OrleansRing:Compute".</summary>
public sealed class TrainingComputeOptions
{
    public const string SectionName = "OrleansRing:Compute";

    /// <summary>Workers computing at the same time in this silo (default: one per core).</summary>
    public int ConcurrentWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>TorchSharp intra-op threads for the process (default: 1, as each concurrent worker has its own core).</summary>
    public int IntraOpThreads { get; set; } = 1;
}
