namespace OrleansRing.Storage;

/// <summary>
/// Wraps a store and retries operations that fail with <see cref="ChunkStoreUnavailableException"/> according
/// to a <see cref="ChunkStoreRetryPolicy"/>, then throws <see cref="ChunkStoreUnreachableException"/> naming the
/// endpoint. The time limit is hard: an attempt still running when it expires is cancelled. Integrity, not-found
/// and other errors pass straight through, as does <see cref="EnsureReachableAsync"/> (it must fail fast).
/// </summary>
public sealed class RetryingChunkStore : IChunkStore
{
    private readonly IChunkStore _inner;
    private readonly TimeProvider _time;

    public RetryingChunkStore(IChunkStore inner, ChunkStoreRetryPolicy? policy = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        Policy = policy ?? ChunkStoreRetryPolicy.Default;
        _time = timeProvider ?? TimeProvider.System;
    }

    public IChunkStore Inner => _inner;

    public ChunkStoreRetryPolicy Policy { get; }

    public string Endpoint => _inner.Endpoint;

    public Task EnsureReachableAsync(CancellationToken cancellationToken = default) =>
        _inner.EnsureReachableAsync(cancellationToken);

    public Task PutChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        RunAsync("write", key, ct => _inner.PutChunkAsync(key!, payload, ct), cancellationToken);

    public Task<byte[]> GetChunkAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        RunAsync("read", key, ct => _inner.GetChunkAsync(key!, ct), cancellationToken);

    public Task<bool> ChunkExistsAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        RunAsync("look for", key, ct => _inner.ChunkExistsAsync(key!, ct), cancellationToken);

    public Task<IReadOnlyList<ChunkKey>> ListChunksAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        RunAsync("list", experimentId, ct => _inner.ListChunksAsync(experimentId, iteration, ct), cancellationToken);

    public Task<bool> DeleteChunkAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        RunAsync("delete", key, ct => _inner.DeleteChunkAsync(key!, ct), cancellationToken);

    // Deletes are idempotent, so repeating a half-done one is safe.
    public Task<int> DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        RunAsync("delete", experimentId, ct => _inner.DeleteExperimentAsync(experimentId, ct), cancellationToken);

    public Task<IReadOnlyList<long>> PruneIterationsAsync(string experimentId, int keepLast, CancellationToken cancellationToken = default) =>
        RunAsync("prune", experimentId, ct => _inner.PruneIterationsAsync(experimentId, keepLast, ct), cancellationToken);

    public Task<bool> DeleteCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default) =>
        RunAsync("delete", key, ct => _inner.DeleteCheckpointAsync(key!, ct), cancellationToken);

    public Task PutDocumentAsync(string experimentId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        RunAsync("write", $"{experimentId}/{name}", ct => _inner.PutDocumentAsync(experimentId, name, payload, ct), cancellationToken);

    public Task<byte[]?> TryGetDocumentAsync(string experimentId, string name, CancellationToken cancellationToken = default) =>
        RunAsync("read", $"{experimentId}/{name}", ct => _inner.TryGetDocumentAsync(experimentId, name, ct), cancellationToken);

    public Task PutChunkBundleAsync(ChunkBundleKey key, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default) =>
        RunAsync("write", key, ct => _inner.PutChunkBundleAsync(key!, bundle, ct), cancellationToken);

    public Task<byte[]> GetChunkBundleAsync(ChunkBundleKey key, CancellationToken cancellationToken = default) =>
        RunAsync("read", key, ct => _inner.GetChunkBundleAsync(key!, ct), cancellationToken);

    public Task<byte[]> ReadChunkBundleStartAsync(ChunkBundleKey key, int length, CancellationToken cancellationToken = default) =>
        RunAsync("read", key, ct => _inner.ReadChunkBundleStartAsync(key!, length, ct), cancellationToken);

    public Task<IReadOnlyList<ChunkBundleKey>> ListChunkBundlesAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        RunAsync("list", experimentId, ct => _inner.ListChunkBundlesAsync(experimentId, iteration, ct), cancellationToken);

    public Task PutCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        RunAsync("write", key, ct => _inner.PutCheckpointAsync(key!, payload, ct), cancellationToken);

    public Task<byte[]> GetCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default) =>
        RunAsync("read", key, ct => _inner.GetCheckpointAsync(key!, ct), cancellationToken);

    public Task<IReadOnlyList<CheckpointKey>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default) =>
        RunAsync("list checkpoints of", experimentId, ct => _inner.ListCheckpointsAsync(experimentId, ct), cancellationToken);

    private Task RunAsync(string verb, object? target, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(verb, target, async ct =>
        {
            await operation(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <param name="verb">What the operation does, for the error ("read", "write"...).</param>
    /// <param name="target">A key or name, formatted only for an error: no blob name is built for a call that succeeds.</param>
    /// <param name="operation">One attempt.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    private async Task<T> RunAsync<T>(string verb, object? target, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var limit = new CancellationTokenSource(Policy.TimeLimit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        ChunkStoreUnavailableException? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(linked.Token).ConfigureAwait(false);
            }
            catch (ChunkStoreUnavailableException e) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = e;
            }
            catch (OperationCanceledException e) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Unreachable(verb, target, attempt, started, lastError ?? (Exception)e);
            }

            var delay = Policy.GetDelay(attempt);
            if (_time.GetElapsedTime(started) + delay >= Policy.TimeLimit)
            {
                throw Unreachable(verb, target, attempt, started, lastError);
            }
            try
            {
                await Task.Delay(delay, _time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unreachable(verb, target, attempt, started, lastError);
            }
        }
    }

    private ChunkStoreUnreachableException Unreachable(string verb, object? target, int attempts, long started, Exception lastError)
    {
        var elapsed = _time.GetElapsedTime(started);
        var what = target is null ? string.Empty : $" '{target}'";
        return new ChunkStoreUnreachableException(
            Endpoint,
            (lastError as ChunkStoreException)?.BlobName,
            $"Chunk store {Endpoint} was unreachable for longer than the {Policy.TimeLimit.TotalSeconds:0.###} s retry limit: "
            + $"could not {verb}{what} in {attempts} attempt(s) over {elapsed.TotalSeconds:0.0} s. Last error: {lastError.Message}",
            lastError);
    }
}
