using System.Collections.Concurrent;

namespace OrleansRing.Storage.Tests;

/// <summary>A real store with scripted failures in front: each call first takes the next queued fault, if any.</summary>
internal sealed class FaultInjectingChunkStore(IChunkStore inner) : IChunkStore
{
    private readonly ConcurrentQueue<Func<CancellationToken, Task>> _faults = new();
    private int _calls;

    public int Calls => _calls;

    public string Endpoint => "fake://store";

    public FaultInjectingChunkStore Then(Exception error)
    {
        _faults.Enqueue(_ => Task.FromException(error));
        return this;
    }

    public FaultInjectingChunkStore ThenTransient(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Then(new ChunkStoreUnavailableException(Endpoint, null, "connection refused (scripted)"));
        }
        return this;
    }

    /// <summary>An attempt that never answers until it is cancelled, like a black-holed connection.</summary>
    public FaultInjectingChunkStore ThenHang()
    {
        _faults.Enqueue(ct => Task.Delay(Timeout.Infinite, ct));
        return this;
    }

    public void AlwaysTransient()
    {
        for (var i = 0; i < 10_000; i++)
        {
            ThenTransient();
        }
    }

    public async Task EnsureReachableAsync(CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        await inner.EnsureReachableAsync(cancellationToken);
    }

    public async Task PutChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        await inner.PutChunkAsync(key, payload, cancellationToken);
    }

    public async Task PutChunkBundleAsync(ChunkBundleKey key, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        await inner.PutChunkBundleAsync(key, bundle, cancellationToken);
    }

    public async Task<byte[]> GetChunkBundleAsync(ChunkBundleKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.GetChunkBundleAsync(key, cancellationToken);
    }

    public async Task<byte[]> ReadChunkBundleStartAsync(ChunkBundleKey key, int length, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.ReadChunkBundleStartAsync(key, length, cancellationToken);
    }

    public async Task<IReadOnlyList<ChunkBundleKey>> ListChunkBundlesAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.ListChunkBundlesAsync(experimentId, iteration, cancellationToken);
    }

    public async Task<byte[]> GetChunkAsync(ChunkKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.GetChunkAsync(key, cancellationToken);
    }

    public async Task<bool> ChunkExistsAsync(ChunkKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.ChunkExistsAsync(key, cancellationToken);
    }

    public async Task<IReadOnlyList<ChunkKey>> ListChunksAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.ListChunksAsync(experimentId, iteration, cancellationToken);
    }

    public async Task<bool> DeleteChunkAsync(ChunkKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.DeleteChunkAsync(key, cancellationToken);
    }

    public async Task<int> DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.DeleteExperimentAsync(experimentId, cancellationToken);
    }

    public async Task<IReadOnlyList<long>> PruneIterationsAsync(string experimentId, int keepLast, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.PruneIterationsAsync(experimentId, keepLast, cancellationToken);
    }

    public async Task PutCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        await inner.PutCheckpointAsync(key, payload, cancellationToken);
    }

    public async Task<byte[]> GetCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.GetCheckpointAsync(key, cancellationToken);
    }

    public async Task<bool> DeleteCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.DeleteCheckpointAsync(key, cancellationToken);
    }

    public async Task PutDocumentAsync(string experimentId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        await inner.PutDocumentAsync(experimentId, name, payload, cancellationToken);
    }

    public async Task<byte[]?> TryGetDocumentAsync(string experimentId, string name, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.TryGetDocumentAsync(experimentId, name, cancellationToken);
    }

    public async Task<IReadOnlyList<CheckpointKey>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        await FaultAsync(cancellationToken);
        return await inner.ListCheckpointsAsync(experimentId, cancellationToken);
    }

    private Task FaultAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return _faults.TryDequeue(out var fault) ? fault(cancellationToken) : Task.CompletedTask;
    }
}
