using Microsoft.Extensions.Options;
using OrleansRing.Training;

namespace OrleansRing.Grains.Compute;

/// <summary>
/// Runs forward/backward passes off Orleans' scheduler threads, at most
/// <see cref="TrainingComputeOptions.ConcurrentWorkers"/> at a time, so many workers in one silo share
/// its cores (or device) without oversubscribing them and without blocking grain turns.
/// </summary>
public sealed class TrainingComputeQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public TrainingComputeQueue(IOptions<TrainingComputeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(value.ConcurrentWorkers, 1, "OrleansRing:Compute:ConcurrentWorkers");
        ArgumentOutOfRangeException.ThrowIfLessThan(value.IntraOpThreads, 1, "OrleansRing:Compute:IntraOpThreads");
        TorchRuntime.SetIntraOpThreads(value.IntraOpThreads);
        ConcurrentWorkers = value.ConcurrentWorkers;
        _slots = new SemaphoreSlim(value.ConcurrentWorkers, value.ConcurrentWorkers);
    }

    public int ConcurrentWorkers { get; }

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

    public Task RunAsync(Action work, CancellationToken cancellationToken = default) =>
        RunAsync<bool>(() =>
        {
            work();
            return true;
        }, cancellationToken);

    public void Dispose() => _slots.Dispose();
}
