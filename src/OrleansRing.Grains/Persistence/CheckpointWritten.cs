namespace OrleansRing.Grains.Persistence;

/// <summary>What a worker wrote as its checkpoint: the SHA-256 (hex) of its state, and whether it wrote a reference to the holder's instead of the state.</summary>
internal sealed record CheckpointWritten(string StateHash, bool IsReference);
