namespace OrleansRing.Storage;

public enum ChunkStoreKind
{
    /// <summary>A local folder (<see cref="FolderChunkStore"/>): the embedded default.</summary>
    Folder = 0,

    /// <summary>An Azure Blob Storage container or Azurite (<see cref="AzureBlobChunkStore"/>).</summary>
    Azure = 1,
}
