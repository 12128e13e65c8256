namespace OrleansRing.Storage;

/// <summary>
/// Durable storage for the gradient chunks sent along the ring and for per-rank checkpoints, so that a run
/// survives the loss of a silo and defences can audit what was sent. Names follow <see cref="ChunkKey"/> and
/// <see cref="CheckpointKey"/>. Every read verifies the SHA-256 recorded at write time and throws
/// <see cref="ChunkIntegrityException"/> rather than return altered bytes.
/// </summary>
/// <remarks>
/// Reads return a fresh <c>byte[]</c> of exactly the payload's length that the caller owns: the ring keeps
/// chunks across awaits and hands them to defences, where a pooled buffer returned too early would corrupt
/// gradients silently. The array is allocated uninitialized and filled once straight from the file or the
/// HTTP response, so there is no extra copy to save.
/// Failures are <see cref="ChunkStoreException"/>s; only <see cref="ChunkStoreUnavailableException"/> is transient.
/// Implementations are safe for concurrent use.
/// </remarks>
public interface IChunkStore
{
    /// <summary>Where the store is (container URI or folder path), for logs and error messages; never a secret.</summary>
    string Endpoint { get; }

    /// <summary>
    /// Checks once, quickly, that the store can be used (creating the container or folder if missing), and
    /// throws <see cref="ChunkStoreUnreachableException"/> naming the endpoint if not. Call at start so that a
    /// missing store fails the run at once rather than at the first ring step. Never retried.
    /// </summary>
    Task EnsureReachableAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="payload"/> (empty allowed) under <paramref name="key"/>, replacing any earlier chunk there.</summary>
    Task PutChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>The chunk's bytes, verified; <see cref="ChunkNotFoundException"/> if absent.</summary>
    Task<byte[]> GetChunkAsync(ChunkKey key, CancellationToken cancellationToken = default);

    Task<bool> ChunkExistsAsync(ChunkKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The chunks of an experiment, or of one of its iterations when <paramref name="iteration"/> is given,
    /// ordered by blob name. Blobs under the prefix that do not follow the naming scheme are left out.
    /// </summary>
    Task<IReadOnlyList<ChunkKey>> ListChunksAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes one chunk; false if there was none.</summary>
    Task<bool> DeleteChunkAsync(ChunkKey key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every chunk and checkpoint of the experiment (for <c>blobs gc</c>); returns how many blobs went.</summary>
    Task<int> DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retention: keeps the chunks of the <paramref name="keepLast"/> highest-numbered iterations that have any
    /// and deletes the chunks of every older iteration; returns the iterations deleted, ascending.
    /// Checkpoints are left alone (the latest one is what a resumed run needs, however old).
    /// </summary>
    Task<IReadOnlyList<long>> PruneIterationsAsync(string experimentId, int keepLast, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a <see cref="ChunkBundle"/> (every chunk one worker sent in one phase of an iteration, async persistence),
    /// replacing any earlier one under <paramref name="key"/>. Retention and experiment deletion treat it as its
    /// iteration's chunks.
    /// </summary>
    Task PutChunkBundleAsync(ChunkBundleKey key, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default);

    /// <summary>The bundle's bytes, verified; <see cref="ChunkNotFoundException"/> if absent.</summary>
    Task<byte[]> GetChunkBundleAsync(ChunkBundleKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first <paramref name="length"/> bytes of the bundle (all of it if shorter), <b>not</b> verified against its
    /// hash: enough to read its index (<see cref="ChunkBundle.TryReadKeys"/>) for a listing without downloading
    /// every payload. <see cref="ChunkNotFoundException"/> if absent.
    /// </summary>
    Task<byte[]> ReadChunkBundleStartAsync(ChunkBundleKey key, int length, CancellationToken cancellationToken = default);

    /// <summary>The bundles of an experiment, or of one of its iterations, ordered by blob name.</summary>
    Task<IReadOnlyList<ChunkBundleKey>> ListChunkBundlesAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a checkpoint, replacing any earlier one under <paramref name="key"/>.</summary>
    Task PutCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>The checkpoint's bytes, verified; <see cref="ChunkNotFoundException"/> if absent.</summary>
    Task<byte[]> GetCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default);

    /// <summary>The experiment's checkpoints ordered by blob name, i.e. by iteration then rank.</summary>
    Task<IReadOnlyList<CheckpointKey>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes one checkpoint (checkpoint retention); false if there was none.</summary>
    Task<bool> DeleteCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores an experiment-level document (e.g. the coordinator's manifest) under
    /// <c>{experiment}/documents/{name}</c>, replacing an earlier one, with the same integrity rule as chunks.
    /// </summary>
    Task PutDocumentAsync(string experimentId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>The document's bytes, verified, or null if there is none.</summary>
    Task<byte[]?> TryGetDocumentAsync(string experimentId, string name, CancellationToken cancellationToken = default);
}
