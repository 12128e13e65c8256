using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// A worker's inbox of chunks from its predecessor, keyed by (iteration, phase, step). Messages may
/// arrive before the step that needs them, and may be duplicated by retries; each step's chunk is
/// handed out at most once and stale iterations are dropped. Used only from the grain's own turns,
/// so it needs no locking.
/// </summary>
internal sealed class ChunkMailbox
{
    private readonly Dictionary<RingStepKey, ChunkMessage> _arrived = [];
    private readonly Dictionary<RingStepKey, TaskCompletionSource<ChunkMessage>> _waiting = [];
    private readonly HashSet<RingStepKey> _consumed = [];
    private long _iteration = -1;
    private long _abortedThrough = -1;
    private long _failedIteration = -1;
    private Exception? _failure;

    public int DuplicatesDropped { get; private set; }

    public int StaleDropped { get; private set; }

    /// <summary>Forgets everything from earlier iterations.</summary>
    public void BeginIteration(long iteration)
    {
        _iteration = iteration;
        foreach (var key in _arrived.Keys.Where(k => k.Iteration < iteration).ToList())
        {
            _arrived.Remove(key);
        }
        _consumed.RemoveWhere(k => k.Iteration < iteration);
        foreach (var (key, waiter) in _waiting.Where(w => w.Key.Iteration < iteration).ToList())
        {
            _waiting.Remove(key);
            waiter.TrySetCanceled();
        }
    }

    /// <summary>Stores or hands over a chunk; returns false when it was a duplicate or stale.</summary>
    public bool Deposit(ChunkMessage message)
    {
        var key = RingStepKey.Of(message);
        if (key.Iteration < _iteration)
        {
            StaleDropped++;
            return false;
        }
        if (_consumed.Contains(key) || _arrived.ContainsKey(key))
        {
            DuplicatesDropped++;
            return false;
        }
        if (_waiting.Remove(key, out var waiter))
        {
            _consumed.Add(key);
            waiter.TrySetResult(message);
        }
        else
        {
            _arrived[key] = message;
        }
        return true;
    }

    /// <summary>The chunk for <paramref name="key"/>, now or when it arrives.</summary>
    public Task<ChunkMessage> ReceiveAsync(RingStepKey key)
    {
        if (key.Iteration <= _abortedThrough)
        {
            // Aborted before this worker even got here (it was still computing): fail now, not at the step timeout.
            return Task.FromException<ChunkMessage>(new RingProtocolException($"The coordinator aborted {key}: the ring is being recovered."));
        }
        if (key.Iteration == _failedIteration)
        {
            return Task.FromException<ChunkMessage>(_failure!);
        }
        if (_arrived.Remove(key, out var message))
        {
            _consumed.Add(key);
            return Task.FromResult(message);
        }
        if (_consumed.Contains(key))
        {
            throw new InvalidOperationException($"The chunk for {key} was already consumed.");
        }
        var waiter = new TaskCompletionSource<ChunkMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[key] = waiter;
        return waiter.Task;
    }

    /// <summary>Fails every pending receive of <paramref name="iteration"/> (the coordinator is recovering the ring).</summary>
    public void AbortWaiting(long iteration)
    {
        _abortedThrough = Math.Max(_abortedThrough, iteration);
        foreach (var (key, waiter) in _waiting.Where(w => w.Key.Iteration <= iteration).ToList())
        {
            _waiting.Remove(key);
            waiter.TrySetException(new RingProtocolException($"The coordinator aborted {key}: the ring is being recovered."));
        }
    }

    /// <summary>
    /// Fails every receive of <paramref name="iteration"/>, pending and later, with <paramref name="error"/>: a chunk handed
    /// over in the silo was invalid, and this worker's iteration fails as the sender's grain call would have.
    /// </summary>
    public void Fail(long iteration, Exception error)
    {
        _failedIteration = iteration;
        _failure = error;
        foreach (var (key, waiter) in _waiting.Where(w => w.Key.Iteration == iteration).ToList())
        {
            _waiting.Remove(key);
            waiter.TrySetException(error);
        }
    }

    /// <summary>Stops waiting for <paramref name="key"/> (after a timeout).</summary>
    public void Abandon(RingStepKey key) => _waiting.Remove(key);
}
