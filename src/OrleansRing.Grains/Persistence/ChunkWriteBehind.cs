using System.Buffers;
using System.Threading.Channels;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Persistence;

/// <summary>
/// One worker's write-behind queue to the chunk store (async persistence). The chunks it sends in one phase of an
/// iteration are gathered and written as one <see cref="ChunkBundle"/> when the phase is over (the next phase's
/// first chunk, or <see cref="FlushAsync"/>): a request per worker and phase instead of one per ring step, which is
/// what a store pays for most. Payloads are copied into pooled buffers when queued, because the ring reuses the
/// gradient buffer they come from; a bounded queue makes a slow store slow the ring down instead of filling memory.
/// <see cref="FlushAsync"/> is the durability barrier an iteration waits on, and surfaces the first write error.
/// </summary>
internal sealed class ChunkWriteBehind : IAsyncDisposable
{
    private readonly IChunkStore _store;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _drain;
    private readonly Lock _gate = new();
    private readonly List<QueuedChunk> _open = [];
    private ChunkBundleKey? _openKey;
    private int _pending;
    private TaskCompletionSource _idle = NewCompleted();
    private Exception? _failure;

    public ChunkWriteBehind(IChunkStore store, int capacity)
    {
        _store = store;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(Math.Max(1, capacity)) { SingleReader = true, SingleWriter = true });
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>
    /// Adds a sent chunk to its phase's bundle. <paramref name="sameAs"/> names the chunk these bytes were received
    /// as, unchanged (an all-gather forward): the bundle then records that key and the bytes' hash, not the bytes.
    /// </summary>
    public async ValueTask EnqueueChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, ChunkKey? sameAs = null)
    {
        ThrowIfFailed();
        var bundle = ChunkBundleKey.Of(key);
        if (_openKey is { } open && open != bundle)
        {
            if (IsLater(bundle, open))
            {
                await SealAsync().ConfigureAwait(false);
            }
            else
            {
                DiscardOpen(); // a restarted iteration: the open bundle belonged to the aborted attempt
            }
        }
        else if (_open.Exists(c => c.Key == key))
        {
            DiscardOpen();
        }
        _openKey = bundle;
        _open.Add(new QueuedChunk(key, Rent(payload), payload.Length, sameAs));
    }

    public async ValueTask EnqueueCheckpointAsync(CheckpointKey key, byte[] state) =>
        await EnqueueAsync(new PendingWrite(null, [], key, state)).ConfigureAwait(false);

    /// <summary>Writes the open bundle and completes when everything queued so far is durable; throws the first write failure.</summary>
    public async Task FlushAsync()
    {
        await SealAsync().ConfigureAwait(false);
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }
        await idle.ConfigureAwait(false);
        ThrowIfFailed();
    }

    public async ValueTask DisposeAsync()
    {
        DiscardOpen();
        _queue.Writer.TryComplete();
        try
        {
            await _drain.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private static bool IsLater(ChunkBundleKey candidate, ChunkBundleKey open) =>
        candidate.Iteration > open.Iteration || (candidate.Iteration == open.Iteration && candidate.Phase > open.Phase);

    private async ValueTask SealAsync()
    {
        if (_openKey is not { } key || _open.Count == 0)
        {
            return;
        }
        var chunks = _open.ToArray();
        _open.Clear();
        _openKey = null;
        await EnqueueAsync(new PendingWrite(key, chunks, null, null)).ConfigureAwait(false);
    }

    private void DiscardOpen()
    {
        foreach (var chunk in _open)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
        _open.Clear();
        _openKey = null;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new ChunkStoreException(_store.Endpoint, null, $"A write-behind write to {_store.Endpoint} failed: {failure.Message}", failure);
        }
    }

    private async ValueTask EnqueueAsync(PendingWrite write)
    {
        if (_failure is not null)
        {
            Return(write);
            ThrowIfFailed();
        }
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        await _queue.Writer.WriteAsync(write).ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        await foreach (var write in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (_failure is null)
                {
                    if (write.Bundle is { } bundle)
                    {
                        await WriteBundleAsync(bundle, write.Chunks).ConfigureAwait(false);
                    }
                    else
                    {
                        await _store.PutCheckpointAsync(write.Checkpoint!, write.State).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex)
            {
                _failure ??= ex;
            }
            finally
            {
                Return(write);
                lock (_gate)
                {
                    if (--_pending == 0)
                    {
                        _idle.TrySetResult();
                    }
                }
            }
        }
    }

    private async Task WriteBundleAsync(ChunkBundleKey key, QueuedChunk[] queued)
    {
        var chunks = Array.ConvertAll(queued, c => new BundledChunk(c.Key, c.Buffer.AsMemory(0, c.Length), c.SameAs));
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBundle.EncodedLength(chunks));
        try
        {
            var length = ChunkBundle.Encode(key, chunks, buffer);
            await _store.PutChunkBundleAsync(key, buffer.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Rent(ReadOnlyMemory<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.Span.CopyTo(buffer);
        return buffer;
    }

    private static void Return(PendingWrite write)
    {
        foreach (var chunk in write.Chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private sealed record QueuedChunk(ChunkKey Key, byte[] Buffer, int Length, ChunkKey? SameAs);

    /// <summary>A bundle (key and its chunks, in pooled buffers) or a checkpoint (key and its state).</summary>
    private sealed record PendingWrite(ChunkBundleKey? Bundle, QueuedChunk[] Chunks, CheckpointKey? Checkpoint, byte[]? State);
}
