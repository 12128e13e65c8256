namespace OrleansRing.Storage;

/// <summary>
/// A stored chunk or checkpoint does not match the SHA-256 recorded when it was written (or has no hash,
/// or is truncated). Its bytes are never returned. Not transient: reading again returns the same bytes.
/// </summary>
public sealed class ChunkIntegrityException : ChunkStoreException
{
    public ChunkIntegrityException(string endpoint, string blobName, string reason)
        : base(endpoint, blobName, $"Blob '{blobName}' in {endpoint} failed its integrity check: {reason}. It was altered or damaged after it was written; its bytes were not returned.")
    {
        Reason = reason;
    }

    /// <summary>What was wrong, e.g. "SHA-256 is 3f… but the stored hash is 9a…".</summary>
    public string Reason { get; }
}
