namespace OrleansRing.Storage;

/// <summary>Reading a rank's checkpoint state whether it was stored in full or as a <see cref="CheckpointReference"/>.</summary>
public static class CheckpointStoreExtensions
{
    /// <summary>
    /// The state rank <paramref name="key"/>.Rank saved: its own bytes, or the holder's that its reference names,
    /// checked against the reference's hash.
    /// </summary>
    /// <exception cref="ChunkNotFoundException">The checkpoint, or the holder's it refers to, is absent.</exception>
    /// <exception cref="ChunkIntegrityException">The holder's state is not the one referred to, or is itself a reference.</exception>
    public static async Task<byte[]> GetCheckpointStateAsync(this IChunkStore store, CheckpointKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        var payload = await store.GetCheckpointAsync(key, cancellationToken).ConfigureAwait(false);
        CheckpointReference? reference;
        try
        {
            if (!CheckpointReference.TryDecode(payload, out reference))
            {
                return payload;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ChunkIntegrityException(store.Endpoint, key.ToBlobName(), ex.Message);
        }
        var holderKey = key with { Rank = reference.HolderRank };
        var state = await store.GetCheckpointAsync(holderKey, cancellationToken).ConfigureAwait(false);
        if (IsReference(state))
        {
            throw new ChunkIntegrityException(store.Endpoint, key.ToBlobName(), $"it refers to {holderKey.ToBlobName()}, which is a reference itself, not a state");
        }
        return reference.Verify(state) is { } mismatch
            ? throw new ChunkIntegrityException(store.Endpoint, key.ToBlobName(), mismatch,
                $"Rank {key.Rank}'s own state of iteration {key.Iteration} was never stored (the coordinator stores a diverged rank's state before the iteration counts); resume from an older checkpoint")
            : state;
    }

    private static bool IsReference(byte[] payload)
    {
        try
        {
            return CheckpointReference.TryDecode(payload, out _);
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }
}
