namespace OrleansRing.Storage;

/// <summary>
/// A stored chunk or checkpoint does not match the SHA-256 recorded when it was written (or has no hash,
/// or is truncated). Its bytes are never returned. Not transient: reading again returns the same bytes.
/// </summary>
public sealed class ChunkIntegrityException : ChunkStoreException
{
    public const string AlteredOrDamaged = "It was altered or damaged after it was written";

    /// <param name="endpoint">The store, for the message.</param>
    /// <param name="blobName">The blob that failed.</param>
    /// <param name="reason">What was wrong with it.</param>
    /// <param name="consequence">What the failure means, ahead of "its bytes were not returned"; by default that the blob was altered or damaged.</param>
    public ChunkIntegrityException(string endpoint, string blobName, string reason, string consequence = AlteredOrDamaged)
        : base(endpoint, blobName, $"Blob '{blobName}' in {endpoint} failed its integrity check: {reason}. {consequence}; its bytes were not returned.")
    {
        Reason = reason;
    }

    /// <summary>What was wrong, e.g. "SHA-256 is 3f… but the stored hash is 9a…".</summary>
    public string Reason { get; }
}
