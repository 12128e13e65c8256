namespace OrleansRing.Abstractions;

/// <summary>How the ring's chunks reach the chunk store.</summary>
[GenerateSerializer]
[Alias("orleansring.chunk-persistence")]
public enum ChunkPersistence
{
    /// <summary>Nothing is persisted (pure speed measurements); a lost silo cannot be recovered.</summary>
    Off = 0,

    /// <summary>A step's outgoing chunk is durable before it is sent.</summary>
    Sync = 1,

    /// <summary>Write-behind through a bounded queue; an iteration completes only once its chunks and checkpoints are durable.</summary>
    Async = 2,

    /// <summary>The message carries only the chunk's blob name; the receiver reads the chunk from the store.</summary>
    Reference = 3,
}
