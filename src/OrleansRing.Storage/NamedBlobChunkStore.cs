namespace OrleansRing.Storage;

/// <summary>
/// What <see cref="FolderChunkStore"/> and <see cref="AzureBlobChunkStore"/> share: every key is one named blob
/// (<see cref="ChunkKey.ToBlobName"/> and its kin, '/'-separated), so the typed operations of
/// <see cref="IChunkStore"/> are written once here over a few blob operations that each store implements for its
/// medium. Only the two stores of this assembly derive from it.
/// </summary>
public abstract class NamedBlobChunkStore : IChunkStore
{
    private protected NamedBlobChunkStore()
    {
    }

    public abstract string Endpoint { get; }

    public abstract Task EnsureReachableAsync(CancellationToken cancellationToken = default);

    public Task PutChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PutBlobAsync(NameOf(key), payload, cancellationToken);

    public Task<byte[]> GetChunkAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        GetBlobAsync(NameOf(key), cancellationToken);

    public Task<bool> ChunkExistsAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        BlobExistsAsync(NameOf(key), cancellationToken);

    public Task<IReadOnlyList<ChunkKey>> ListChunksAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        ListKeysAsync<ChunkKey>(iteration is { } i ? ChunkKey.IterationPrefix(experimentId, i) : ChunkKey.ExperimentPrefix(experimentId), ChunkKey.TryParse, cancellationToken);

    public Task<bool> DeleteChunkAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        DeleteBlobAsync(NameOf(key), cancellationToken);

    public Task<int> DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        DeletePrefixAsync(ChunkKey.ExperimentPrefix(experimentId), cancellationToken);

    public async Task<IReadOnlyList<long>> PruneIterationsAsync(string experimentId, int keepLast, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        var iterations = await ListIterationsAsync(ChunkKey.ExperimentPrefix(experimentId), cancellationToken).ConfigureAwait(false);
        iterations.Sort();
        var deleted = iterations.Take(Math.Max(0, iterations.Count - keepLast)).ToList();
        foreach (var iteration in deleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await DeletePrefixAsync(ChunkKey.IterationPrefix(experimentId, iteration), cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    public Task PutChunkBundleAsync(ChunkBundleKey key, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default) =>
        PutBlobAsync(NameOf(key), bundle, cancellationToken);

    public Task<byte[]> GetChunkBundleAsync(ChunkBundleKey key, CancellationToken cancellationToken = default) =>
        GetBlobAsync(NameOf(key), cancellationToken);

    public Task<byte[]> ReadChunkBundleStartAsync(ChunkBundleKey key, int length, CancellationToken cancellationToken = default)
    {
        var name = NameOf(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return ReadBlobStartAsync(name, length, cancellationToken);
    }

    public Task<IReadOnlyList<ChunkBundleKey>> ListChunkBundlesAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        ListKeysAsync<ChunkBundleKey>(iteration is { } i ? ChunkBundleKey.IterationPrefix(experimentId, i) : ChunkKey.ExperimentPrefix(experimentId), ChunkBundleKey.TryParse, cancellationToken);

    public Task PutCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PutBlobAsync(NameOf(key), payload, cancellationToken);

    public Task<byte[]> GetCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default) =>
        GetBlobAsync(NameOf(key), cancellationToken);

    public Task<IReadOnlyList<CheckpointKey>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default) =>
        ListKeysAsync<CheckpointKey>(CheckpointKey.Prefix(experimentId), CheckpointKey.TryParse, cancellationToken);

    public Task<bool> DeleteCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default) =>
        DeleteBlobAsync(NameOf(key), cancellationToken);

    public Task PutDocumentAsync(string experimentId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PutBlobAsync(DocumentNames.BlobName(experimentId, name), payload, cancellationToken);

    public async Task<byte[]?> TryGetDocumentAsync(string experimentId, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetBlobAsync(DocumentNames.BlobName(experimentId, name), cancellationToken).ConfigureAwait(false);
        }
        catch (ChunkNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes the blob whole, replacing an earlier one; readers never see a partial payload.</summary>
    private protected abstract Task PutBlobAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>The blob's payload, verified against the hash recorded with it; <see cref="ChunkNotFoundException"/> if absent.</summary>
    private protected abstract Task<byte[]> GetBlobAsync(string name, CancellationToken cancellationToken);

    /// <summary>The payload's first <paramref name="length"/> bytes (all of it if shorter), unverified.</summary>
    private protected abstract Task<byte[]> ReadBlobStartAsync(string name, int length, CancellationToken cancellationToken);

    private protected abstract Task<bool> BlobExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes one blob; false if there was none.</summary>
    private protected abstract Task<bool> DeleteBlobAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every complete blob's name under <paramref name="prefix"/> (a folder, ending in '/'), in ordinal order.</summary>
    private protected abstract Task<IReadOnlyList<string>> ListBlobNamesAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The iterations with anything stored under <paramref name="experimentPrefix"/>, in any order.</summary>
    private protected abstract Task<List<long>> ListIterationsAsync(string experimentPrefix, CancellationToken cancellationToken);

    /// <summary>Deletes every blob under <paramref name="prefix"/>; returns how many went.</summary>
    private protected abstract Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    private static string NameOf(ChunkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ToBlobName();
    }

    private static string NameOf(ChunkBundleKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ToBlobName();
    }

    private static string NameOf(CheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ToBlobName();
    }

    /// <summary>The keys of the blobs under <paramref name="prefix"/> that parse as <typeparamref name="TKey"/>, in name order.</summary>
    private async Task<IReadOnlyList<TKey>> ListKeysAsync<TKey>(string prefix, BlobKeyParser<TKey> parse, CancellationToken cancellationToken)
        where TKey : class
    {
        var keys = new List<TKey>();
        foreach (var name in await ListBlobNamesAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (parse(name, out var key))
            {
                keys.Add(key);
            }
        }
        return keys;
    }
}
