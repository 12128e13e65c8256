namespace OrleansRing.Abstractions;

/// <summary>What happens to an experiment's persisted chunks and checkpoints as it runs.</summary>
[GenerateSerializer]
[Alias("orleansring.chunk-retention")]
public enum ChunkRetention
{
    /// <summary>Keep everything (full audit trail).</summary>
    KeepAll = 0,

    /// <summary>Keep the chunks and checkpoints of the last <see cref="ExperimentConfig.RetainedIterations"/> iterations.</summary>
    KeepLast = 1,

    /// <summary>Delete chunks and checkpoints once the run has completed.</summary>
    DeleteAfterRun = 2,
}
