using System.Buffers;
using System.Threading.Channels;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Persistence;

/// <summary>
/// One worker's write-behind queue to the chunk store (async persistence). Payloads are copied into pooled
/// buffers when queued, because the ring reuses the gradient buffer they come from; a bounded queue makes a
/// slow store slow the ring down instead of filling memory. <see cref="FlushAsync"/> is the durability
/// barrier an iteration waits on, and surfaces the first write error.
/// </summary>
internal sealed class ChunkWriteBehind : IAsyncDisposable
{
    private readonly IChunkStore _store;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _drain;
    private readonly Lock _gate = new();
    private int _pending;
    private TaskCompletionSource _idle = NewCompleted();
    private Exception? _failure;

    public ChunkWriteBehind(IChunkStore store, int capacity)
    {
        _store = store;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(Math.Max(1, capacity)) { SingleReader = true, SingleWriter = true });
        _drain = Task.Run(DrainAsync);
    }

    public async ValueTask EnqueueChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload) =>
        await EnqueueAsync(new PendingWrite(key, null, Rent(payload), payload.Length));

    public async ValueTask EnqueueCheckpointAsync(CheckpointKey key, byte[] state) =>
        await EnqueueAsync(new PendingWrite(null, key, state, state.Length, Pooled: false));

    /// <summary>Completes when everything queued so far is durable; throws the first write failure.</summary>
    public async Task FlushAsync()
    {
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }
        await idle.ConfigureAwait(false);
        if (_failure is { } failure)
        {
            throw new ChunkStoreException(_store.Endpoint, null, $"A write-behind write to {_store.Endpoint} failed: {failure.Message}", failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _drain.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async ValueTask EnqueueAsync(PendingWrite write)
    {
        if (_failure is { } failure)
        {
            Return(write);
            throw new ChunkStoreException(_store.Endpoint, null, $"A write-behind write to {_store.Endpoint} failed: {failure.Message}", failure);
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
                    var payload = write.Buffer.AsMemory(0, write.Length);
                    if (write.Chunk is { } chunk)
                    {
                        await _store.PutChunkAsync(chunk, payload).ConfigureAwait(false);
                    }
                    else
                    {
                        await _store.PutCheckpointAsync(write.Checkpoint!, payload).ConfigureAwait(false);
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

    private static byte[] Rent(ReadOnlyMemory<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, payload.Length));
        payload.Span.CopyTo(buffer);
        return buffer;
    }

    private static void Return(PendingWrite write)
    {
        if (write.Pooled)
        {
            ArrayPool<byte>.Shared.Return(write.Buffer);
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private sealed record PendingWrite(ChunkKey? Chunk, CheckpointKey? Checkpoint, byte[] Buffer, int Length, bool Pooled = true);
}
