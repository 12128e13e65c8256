using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Placement;

namespace OrleansRing.Hosting;

/// <summary>
/// Implements <see cref="CapacityPlacementStrategy"/>: reads each compatible silo's <see cref="SiloCapacity"/> from
/// Orleans' silo metadata cache (local, no call) and lets <see cref="CapacitySlotPlan"/> pick the silo for the
/// worker's rank. Silos are ordered by address, so every placing silo agrees. Stateless, hence thread-safe.
/// </summary>
internal sealed class CapacityPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target).Order().ToArray();
        int rank;
        try
        {
            (_, rank) = WorkerKey.Parse(target.GrainIdentity.Key.ToString()!);
        }
        catch (FormatException)
        {
            // Not a worker key: nothing to rank by.
            return Task.FromResult(silos[Random.Shared.Next(silos.Length)]);
        }
        var capacities = silos
            .Select(silo => SiloCapacity.TryRead(metadata.GetSiloMetadata(silo).Metadata, out var capacity) ? capacity : null)
            .ToArray();
        return Task.FromResult(silos[CapacitySlotPlan.SiloIndexForRank(capacities, rank)]);
    }
}
