using Azure.Storage.Blobs;

namespace OrleansRing.Storage;

/// <summary>Builds the <see cref="IChunkStore"/> that <see cref="ChunkStoreOptions"/> describe.</summary>
public static class ChunkStoreFactory
{
    /// <summary>
    /// The configured store, wrapped in a <see cref="RetryingChunkStore"/> unless <see cref="ChunkStoreOptions.Retry"/>
    /// is null. Nothing is contacted yet: call <see cref="IChunkStore.EnsureReachableAsync"/> at start.
    /// </summary>
    public static IChunkStore Create(ChunkStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IChunkStore store = options.Kind == ChunkStoreKind.Folder
            ? new FolderChunkStore(options.FolderPath!, options.FlushToDisk)
            : CreateAzure(options);
        return options.Retry is { } retry ? new RetryingChunkStore(store, retry) : store;
    }

    /// <summary>The store for one line of text such as <c>folder:runs/chunks</c> (see <see cref="ChunkStoreOptions.Parse"/>).</summary>
    public static IChunkStore Create(string text) => Create(ChunkStoreOptions.Parse(text));

    private static AzureBlobChunkStore CreateAzure(ChunkStoreOptions options)
    {
        var clientOptions = AzureBlobChunkStore.CreateClientOptions(options.RequestTimeout);
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            BlobContainerClient container;
            try
            {
                container = new BlobContainerClient(connectionString, options.ContainerName, clientOptions);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // The SDK's message is not echoed: it may quote the connection string.
                throw new ArgumentException(
                    $"{nameof(ChunkStoreOptions)}.{nameof(ChunkStoreOptions.ConnectionString)} is not a valid Azure Storage connection string "
                    + "(expected 'DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;BlobEndpoint=...' or 'UseDevelopmentStorage=true').",
                    nameof(ChunkStoreOptions.ConnectionString));
            }
            return new AzureBlobChunkStore(container) { ReachabilityTimeout = options.ReachabilityTimeout };
        }

        // A URL with a container segment names the container itself; BlobUriBuilder also knows
        // path-style URLs (https://HOST:PORT/ACCOUNT/CONTAINER) where the host is an IP address.
        var uri = new BlobUriBuilder(options.ServiceUri!);
        var containerName = string.IsNullOrEmpty(uri.BlobContainerName) ? options.ContainerName : uri.BlobContainerName;
        if (!ChunkStoreOptions.IsValidContainerName(containerName))
        {
            throw new ArgumentException(
                $"{nameof(ChunkStoreOptions)}.{nameof(ChunkStoreOptions.ServiceUri)} names container '{containerName}', which breaks Azure's container rules (3-63 characters of a-z, 0-9 and '-').",
                nameof(ChunkStoreOptions.ServiceUri));
        }
        uri.BlobContainerName = string.Empty;
        uri.BlobName = string.Empty;
        return new AzureBlobChunkStore(uri.ToUri(), containerName, options.Credential, clientOptions)
        {
            ReachabilityTimeout = options.ReachabilityTimeout,
        };
    }
}
