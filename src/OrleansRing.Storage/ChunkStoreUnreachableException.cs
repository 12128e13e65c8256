namespace OrleansRing.Storage;

/// <summary>
/// The store could not be reached at start (<see cref="IChunkStore.EnsureReachableAsync"/>), or stayed
/// unavailable for longer than the retry time limit. Final: the run should stop and say so.
/// </summary>
public sealed class ChunkStoreUnreachableException : ChunkStoreException
{
    public ChunkStoreUnreachableException(string endpoint, string? blobName, string message, Exception? innerException = null)
        : base(endpoint, blobName, message, innerException)
    {
    }
}
