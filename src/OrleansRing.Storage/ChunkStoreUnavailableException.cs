namespace OrleansRing.Storage;

/// <summary>
/// One attempt failed in a way that may pass: connection refused, HTTP 408/429/5xx, a timeout.
/// <see cref="RetryingChunkStore"/> retries these; callers without it may retry with backoff.
/// </summary>
public sealed class ChunkStoreUnavailableException : ChunkStoreException
{
    public ChunkStoreUnavailableException(string endpoint, string? blobName, string message, Exception? innerException = null)
        : base(endpoint, blobName, message, innerException)
    {
    }
}
