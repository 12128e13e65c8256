using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Compute;

namespace OrleansRing.Grains;

/// <summary>
/// Active silos times this silo's concurrent compute slots: silos of one deployment share one configuration, so
/// the answering silo's slots stand for each of them.
/// </summary>
[StatelessWorker]
public sealed class ClusterCapacityGrain(IOptions<TrainingComputeOptions> compute) : Grain, IClusterCapacityGrain
{
    public async Task<ClusterCapacity> GetCapacityAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = Math.Max(1, hosts.Count);
        return new ClusterCapacity { ActiveSilos = silos, WorkerSlots = silos * Math.Max(1, compute.Value.ConcurrentWorkers) };
    }
}
