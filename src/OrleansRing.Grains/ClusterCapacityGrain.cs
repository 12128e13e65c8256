using Orleans.Concurrency;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Compute;

namespace OrleansRing.Grains;

/// <summary>
/// Sums the worker slots every active silo advertised in its metadata (GPUs × slots per device, or a CPU silo's
/// slots), so a sweep's concurrency follows the cluster it actually has. A silo that advertised nothing (another
/// build) counts with this silo's own capacity.
/// </summary>
[StatelessWorker]
public sealed class ClusterCapacityGrain(ISiloCapacityDirectory directory, SiloCapacity ownCapacity) : Grain, IClusterCapacityGrain
{
    public async Task<ClusterCapacity> GetCapacityAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var slots = hosts.Keys.Sum(silo => (directory.CapacityOf(silo) ?? ownCapacity).Slots);
        return hosts.Count == 0
            ? new ClusterCapacity { ActiveSilos = 1, WorkerSlots = ownCapacity.Slots }
            : new ClusterCapacity { ActiveSilos = hosts.Count, WorkerSlots = slots };
    }
}
