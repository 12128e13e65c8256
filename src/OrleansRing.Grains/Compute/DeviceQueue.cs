using OrleansRing.Training;

namespace OrleansRing.Grains.Compute;

/// <summary>
/// One device of a silo and the slots its workers compute in: at most <see cref="Slots"/> run at once, the others
/// wait their turn, so several workers share a GPU (or the CPU's cores) without oversubscribing it.
/// </summary>
public sealed class DeviceQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _reserved;

    internal DeviceQueue(TrainingDevice device, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Device = device;
        Slots = slots;
        _slots = new SemaphoreSlim(slots, slots);
    }

    public TrainingDevice Device { get; }

    /// <summary>Workers computing on this device at the same time.</summary>
    public int Slots { get; }

    /// <summary>Workers that hold a <see cref="DeviceQueueLease"/> on this device now.</summary>
    public int Reserved => Volatile.Read(ref _reserved);

    /// <summary>Runs <paramref name="work"/> on a thread-pool thread once a slot is free (never on Orleans' scheduler).</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    internal void AddReservation() => Interlocked.Increment(ref _reserved);

    internal void RemoveReservation() => Interlocked.Decrement(ref _reserved);
}
