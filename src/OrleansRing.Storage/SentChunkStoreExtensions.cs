using System.Security.Cryptography;

namespace OrleansRing.Storage;

/// <summary>
/// Reading what was sent whichever way it was persisted: a chunk blob of its own (sync and reference persistence)
/// or an entry of its sender's <see cref="ChunkBundle"/> (async persistence), following same-as entries to the bytes.
/// </summary>
public static class SentChunkStoreExtensions
{
    // The index of a ring of up to 60 workers' phase (59 entries of at most 68 bytes) in one read.
    private const int IndexReadLength = 4096;

    /// <summary>
    /// The bytes the sender of <paramref name="key"/> sent. A same-as entry is followed to the chunk it names, hop by
    /// hop, and those bytes are checked against the hash the forwarder recorded.
    /// </summary>
    /// <exception cref="ChunkNotFoundException">Neither a chunk blob nor a bundle entry holds it.</exception>
    /// <exception cref="ChunkIntegrityException">A bundle is damaged, or a forward's bytes are not those it names.</exception>
    public static async Task<byte[]> GetSentChunkAsync(this IChunkStore store, ChunkKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return await store.GetChunkAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (ChunkNotFoundException)
        {
            // Not a blob of its own: async persistence bundles it.
        }
        return await FromBundleAsync(store, key, hops: 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every chunk sent in the experiment (or one iteration), blobs and bundle entries alike, ordered by blob name.</summary>
    public static async Task<IReadOnlyList<ChunkKey>> ListSentChunksAsync(this IChunkStore store, string experimentId, long? iteration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var keys = new List<ChunkKey>(await store.ListChunksAsync(experimentId, iteration, cancellationToken).ConfigureAwait(false));
        foreach (var bundleKey in await store.ListChunkBundlesAsync(experimentId, iteration, cancellationToken).ConfigureAwait(false))
        {
            keys.AddRange(await store.ListBundledChunksAsync(bundleKey, cancellationToken).ConfigureAwait(false));
        }
        keys.Sort((a, b) => string.CompareOrdinal(a.ToBlobName(), b.ToBlobName()));
        return keys;
    }

    private static async Task<byte[]> FromBundleAsync(IChunkStore store, ChunkKey key, int hops, CancellationToken cancellationToken)
    {
        var bundleKey = ChunkBundleKey.Of(key);
        ChunkBundle bundle;
        try
        {
            bundle = await ReadBundleAsync(store, bundleKey, cancellationToken).ConfigureAwait(false);
        }
        catch (ChunkNotFoundException e)
        {
            throw new ChunkNotFoundException(store.Endpoint, key.ToBlobName(), e);
        }
        var entry = bundle.Entries.FirstOrDefault(e => e.Key == key) ?? throw new ChunkNotFoundException(store.Endpoint, key.ToBlobName());
        if (entry.SameAs is not { } same)
        {
            return bundle.Payload(entry).ToArray();
        }
        // A forward names the chunk it received, one step earlier; a chain can never be longer than the ring.
        if (hops > ChunkKey.MaxRank)
        {
            throw new ChunkIntegrityException(store.Endpoint, bundleKey.ToBlobName(), $"{key} leads through more than {ChunkKey.MaxRank} same-as entries");
        }
        var bytes = await FromBundleAsync(store, same, hops + 1, cancellationToken).ConfigureAwait(false);
        var actual = SHA256.HashData(bytes);
        return actual.AsSpan().SequenceEqual(entry.SameAsHash)
            ? bytes
            : throw new ChunkIntegrityException(store.Endpoint, bundleKey.ToBlobName(),
                $"{key} was recorded as the bytes of {same} with SHA-256 {Convert.ToHexStringLower(entry.SameAsHash!)}, but those hash to {Convert.ToHexStringLower(actual)}",
                $"The two records disagree: one of the two senders recorded other bytes than it sent, or a bundle was altered after it was written");
    }

    /// <summary>The keys of the chunks in one bundle, from its index alone: a ranged read of its start, a second one if the index is longer.</summary>
    /// <exception cref="ChunkIntegrityException">The start is not a bundle's index.</exception>
    public static async Task<IReadOnlyList<ChunkKey>> ListBundledChunksAsync(this IChunkStore store, ChunkBundleKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        var length = IndexReadLength;
        while (true)
        {
            var start = await store.ReadChunkBundleStartAsync(key, length, cancellationToken).ConfigureAwait(false);
            try
            {
                if (ChunkBundle.TryReadKeys(key, start, out var keys, out var needed))
                {
                    return keys;
                }
                if (start.Length < length || needed <= length)
                {
                    throw new InvalidDataException($"{key} ends inside its index ({start.Length} bytes).");
                }
                length = needed;
            }
            catch (InvalidDataException e)
            {
                throw new ChunkIntegrityException(store.Endpoint, key.ToBlobName(), e.Message);
            }
        }
    }

    private static async Task<ChunkBundle> ReadBundleAsync(IChunkStore store, ChunkBundleKey key, CancellationToken cancellationToken)
    {
        var bytes = await store.GetChunkBundleAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return ChunkBundle.Decode(key, bytes);
        }
        catch (InvalidDataException e)
        {
            throw new ChunkIntegrityException(store.Endpoint, key.ToBlobName(), e.Message);
        }
    }
}
