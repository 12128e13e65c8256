using Microsoft.Extensions.Options;
using OrleansRing.Training;

namespace OrleansRing.Grains.Compute;

/// <summary>
/// A silo's devices and their queues (<see cref="DeviceQueue"/>): forward/backward passes run off Orleans' scheduler
/// threads, at most <see cref="TrainingComputeOptions.ConcurrentWorkers"/> at a time on the CPU or
/// <see cref="TrainingComputeOptions.WorkersPerDevice"/> per GPU, so many workers in one silo share its cores or GPUs
/// without oversubscribing them and without blocking grain turns. Each worker reserves a place on the least-reserved
/// device (<see cref="Reserve"/>) and keeps it while it lives.
/// </summary>
public sealed class TrainingComputeQueue : IDisposable
{
    private readonly DeviceQueue[] _devices;
    private readonly Lock _gate = new();

    /// <exception cref="ArgumentException">An option is out of range or <see cref="TrainingComputeOptions.Device"/> is unreadable.</exception>
    /// <exception cref="TrainingDeviceUnavailableException">CUDA was asked for and TorchSharp has none (or not that one).</exception>
    public TrainingComputeQueue(IOptions<TrainingComputeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var devices = ResolveDevices(value);
        TorchRuntime.SetIntraOpThreads(value.IntraOpThreads);
        SlotsPerDevice = devices[0].IsCuda ? value.WorkersPerDevice : value.ConcurrentWorkers;
        _devices = [.. devices.Select(d => new DeviceQueue(d, SlotsPerDevice))];
        Capacity = new SiloCapacity(devices[0].IsCuda ? devices.Count : 0, SlotsPerDevice);
    }

    public IReadOnlyList<DeviceQueue> Devices => _devices;

    /// <summary>Workers computing at once on each device.</summary>
    public int SlotsPerDevice { get; }

    /// <summary>Workers computing at once in this silo, all devices together.</summary>
    public int ConcurrentWorkers => SlotsPerDevice * _devices.Length;

    /// <summary>What this silo's devices offer placement.</summary>
    public SiloCapacity Capacity { get; }

    /// <summary>
    /// Checks <paramref name="options"/> and resolves its devices without building a queue: what a host calls at start so
    /// that a bad option is one clear error before the silo runs.
    /// </summary>
    public static IReadOnlyList<TrainingDevice> ResolveDevices(TrainingComputeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConcurrentWorkers, 1, "OrleansRing:Compute:ConcurrentWorkers");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IntraOpThreads, 1, "OrleansRing:Compute:IntraOpThreads");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WorkersPerDevice, 1, "OrleansRing:Compute:WorkersPerDevice");
        TrainingDeviceSelection selection;
        try
        {
            selection = TrainingDeviceSelection.Parse(options.Device ?? "auto");
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"OrleansRing:Compute:Device: {ex.Message}", nameof(options), ex);
        }
        return selection.Resolve();
    }

    /// <summary>The capacity a silo with <paramref name="options"/> advertises (its devices resolved now).</summary>
    public static SiloCapacity CapacityOf(TrainingComputeOptions options)
    {
        var devices = ResolveDevices(options);
        return devices[0].IsCuda
            ? new SiloCapacity(devices.Count, options.WorkersPerDevice)
            : new SiloCapacity(0, options.ConcurrentWorkers);
    }

    /// <summary>A place on the device with the fewest workers (the lowest index on a tie); dispose it when the worker goes.</summary>
    public DeviceQueueLease Reserve()
    {
        lock (_gate)
        {
            var best = _devices[0];
            foreach (var device in _devices)
            {
                if (device.Reserved < best.Reserved)
                {
                    best = device;
                }
            }
            return new DeviceQueueLease(best);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a slot of the first device (work not tied to one worker's trainer).</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default) => _devices[0].RunAsync(work, cancellationToken);

    public Task RunAsync(Action work, CancellationToken cancellationToken = default) =>
        RunAsync<bool>(() =>
        {
            ArgumentNullException.ThrowIfNull(work);
            work();
            return true;
        }, cancellationToken);

    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.Dispose();
        }
    }
}
