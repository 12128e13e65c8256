namespace OrleansRing.Storage;

/// <summary>No chunk or checkpoint is stored under the name (or its container or folder is missing).</summary>
public sealed class ChunkNotFoundException : ChunkStoreException
{
    public ChunkNotFoundException(string endpoint, string blobName, Exception? innerException = null)
        : base(endpoint, blobName, $"Blob '{blobName}' does not exist in {endpoint}.", innerException)
    {
    }
}
