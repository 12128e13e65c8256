namespace OrleansRing.Storage;

/// <summary>
/// Any failure of an <see cref="IChunkStore"/>. Subtypes tell the ring what to do:
/// <see cref="ChunkStoreUnavailableException"/> is worth retrying, everything else is not.
/// </summary>
public class ChunkStoreException : Exception
{
    public ChunkStoreException(string endpoint, string? blobName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        BlobName = blobName;
    }

    /// <summary>The store's location (container URI or folder path), never including a secret.</summary>
    public string Endpoint { get; }

    /// <summary>The blob the failing operation was about, when it was about one.</summary>
    public string? BlobName { get; }
}
