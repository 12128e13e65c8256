using OrleansRing.Training;

namespace OrleansRing.Grains.Compute;

/// <summary>
/// A worker's place on one device of its silo (<see cref="TrainingComputeQueue.Reserve"/>): its trainer lives on
/// <see cref="Device"/> and all its tensor work goes through that device's queue. Disposing gives the place back.
/// </summary>
public sealed class DeviceQueueLease : IDisposable
{
    private DeviceQueue? _queue;

    internal DeviceQueueLease(DeviceQueue queue)
    {
        _queue = queue;
        Device = queue.Device;
        queue.AddReservation();
    }

    public TrainingDevice Device { get; }

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default) => Queue.RunAsync(work, cancellationToken);

    public Task RunAsync(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Queue.RunAsync<bool>(() =>
        {
            work();
            return true;
        }, cancellationToken);
    }

    public void Dispose() => Interlocked.Exchange(ref _queue, null)?.RemoveReservation();

    private DeviceQueue Queue => _queue ?? throw new ObjectDisposedException(nameof(DeviceQueueLease));
}
