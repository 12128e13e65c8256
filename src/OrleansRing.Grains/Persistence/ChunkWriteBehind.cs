using System.Threading.Channels;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Persistence;

/// <summary>
/// One worker's write-behind queue to the chunk store (async persistence). The chunks it sends in one phase of an
/// iteration are gathered and written as one <see cref="ChunkBundle"/> when the phase is over (the next phase's
/// first chunk, or <see cref="FlushAsync"/>): a request per worker and phase instead of one per ring step, which is
/// what a store pays for most. Each chunk is copied once, when queued (the ring reuses the gradient buffer it comes
/// from), into a <see cref="ChunkBundleBuilder"/> kept per phase and reused every iteration, so steady training
/// allocates nothing here; a bounded queue makes a slow store slow the ring down instead of filling memory.
/// <see cref="FlushAsync"/> is the durability barrier an iteration waits on, and surfaces the first write error.
/// </summary>
internal sealed class ChunkWriteBehind : IAsyncDisposable
{
    // An iteration queues at most its two bundles and a checkpoint before it waits on FlushAsync.
    private const int QueueCapacity = 4;

    private readonly IChunkStore _store;
    private readonly int _expectedEntries;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _drain;
    private readonly Lock _gate = new();
    private readonly BundleSlot?[] _slots = new BundleSlot?[2];
    private BundleSlot? _open;
    private int _pending;
    private int _checkpointsPending;
    private TaskCompletionSource _idle = NewCompleted();
    private Exception? _failure;

    /// <param name="store">Where bundles and checkpoints go.</param>
    /// <param name="workers">The ring's size: a phase's bundle holds N − 1 chunks.</param>
    public ChunkWriteBehind(IChunkStore store, int workers)
    {
        _store = store;
        _expectedEntries = Math.Max(1, workers - 1);
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true });
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>A checkpoint handed to <see cref="EnqueueCheckpointAsync"/> is still to be written: its buffer must not be reused yet.</summary>
    public bool CheckpointPending => Volatile.Read(ref _checkpointsPending) > 0;

    /// <summary>
    /// Adds a sent chunk to its phase's bundle. <paramref name="sameAs"/> names the chunk these bytes were received
    /// as, unchanged (an all-gather forward): the bundle then records that key and the bytes' hash, not the bytes.
    /// </summary>
    public async ValueTask EnqueueChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, ChunkKey? sameAs = null)
    {
        ThrowIfFailed();
        // Compared field by field: a ring step allocates no bundle key unless it opens a bundle.
        if (_open is { } open && !open.Builder.Key.Holds(key))
        {
            if (IsLater(key, open.Builder.Key))
            {
                await SealAsync().ConfigureAwait(false);
            }
            else
            {
                _open = null; // a restarted iteration: the open bundle belonged to the aborted attempt
            }
        }
        else if (_open is { } same && same.Builder.Contains(key))
        {
            _open = null;
        }
        var slot = _open ??= OpenSlot(ChunkBundleKey.Of(key));
        if (sameAs is null)
        {
            slot.Builder.Add(key, payload.Span);
        }
        else
        {
            slot.Builder.AddSameAs(key, sameAs, payload.Span);
        }
    }

    /// <summary>Queues a checkpoint; <paramref name="state"/> must stay unchanged while <see cref="CheckpointPending"/>.</summary>
    public async ValueTask EnqueueCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> state)
    {
        Interlocked.Increment(ref _checkpointsPending);
        try
        {
            await EnqueueAsync(new PendingWrite(null, null, key, state)).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _checkpointsPending);
            throw;
        }
    }

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
        _open = null;
        _queue.Writer.TryComplete();
        try
        {
            await _drain.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private static bool IsLater(ChunkKey candidate, ChunkBundleKey open) =>
        candidate.Iteration > open.Iteration || (candidate.Iteration == open.Iteration && candidate.Phase > open.Phase);

    /// <summary>The phase's builder, reset for <paramref name="bundle"/>; a new one while the last is still being written.</summary>
    private BundleSlot OpenSlot(ChunkBundleKey bundle)
    {
        var phase = (int)bundle.Phase;
        if (_slots[phase] is { InFlight: false } slot)
        {
            slot.Builder.Reset(bundle);
            return slot;
        }
        return _slots[phase] = new BundleSlot(new ChunkBundleBuilder(bundle, _expectedEntries));
    }

    private async ValueTask SealAsync()
    {
        if (_open is not { } slot || slot.Builder.Count == 0)
        {
            return;
        }
        _open = null;
        slot.InFlight = true;
        await EnqueueAsync(new PendingWrite(slot.Builder.Key, slot, null, slot.Builder.Build())).ConfigureAwait(false);
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
            write.Slot?.InFlight = false;
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
                        await _store.PutChunkBundleAsync(bundle, write.Payload).ConfigureAwait(false);
                    }
                    else
                    {
                        await _store.PutCheckpointAsync(write.Checkpoint!, write.Payload).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex)
            {
                _failure ??= ex;
            }
            finally
            {
                write.Slot?.InFlight = false;
                if (write.Checkpoint is not null)
                {
                    Interlocked.Decrement(ref _checkpointsPending);
                }
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

    private static TaskCompletionSource NewCompleted()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>A phase's reusable builder; in flight from sealing until its bundle is written.</summary>
    private sealed class BundleSlot(ChunkBundleBuilder builder)
    {
        private volatile bool _inFlight;

        public ChunkBundleBuilder Builder { get; } = builder;

        public bool InFlight
        {
            get => _inFlight;
            set => _inFlight = value;
        }
    }

    /// <summary>A bundle (its key and the slot whose buffer holds it) or a checkpoint (its key), and the bytes to write.</summary>
    private sealed record PendingWrite(ChunkBundleKey? Bundle, BundleSlot? Slot, CheckpointKey? Checkpoint, ReadOnlyMemory<byte> Payload);
}
