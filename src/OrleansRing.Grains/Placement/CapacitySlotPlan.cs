using OrleansRing.Grains.Compute;

namespace OrleansRing.Grains.Placement;

/// <summary>
/// Where rank r of an experiment goes, given the silos in a fixed order and what each advertises: the silos' slots
/// are laid end to end, GPU silos' first, then CPU silos', then silos that advertise nothing (one slot each), and rank
/// r takes slot r (modulo the total, so ranks beyond the cluster's slots share devices through their queues). Ranks
/// fill a silo before the next, so ring neighbours mostly share a silo; every placing silo computes the same answer
/// from the same membership, with no shared state.
/// </summary>
/// <remarks>
/// Slots are counted per experiment: two experiments at once both start at the first GPU slot and share it through
/// the device queues rather than spreading out (a cluster-wide ledger of busy slots would be needed for that).
/// </remarks>
public static class CapacitySlotPlan
{
    /// <summary>The index into <paramref name="capacities"/> (one per silo, null: none advertised) of the silo for <paramref name="rank"/>.</summary>
    public static int SiloIndexForRank(IReadOnlyList<SiloCapacity?> capacities, int rank)
    {
        ArgumentNullException.ThrowIfNull(capacities);
        ArgumentOutOfRangeException.ThrowIfZero(capacities.Count, nameof(capacities));
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        var order = Enumerable.Range(0, capacities.Count)
            .OrderBy(i => capacities[i] is { HasGpu: true } ? 0 : capacities[i] is not null ? 1 : 2)
            .ThenBy(i => i)
            .ToArray();
        var total = order.Sum(i => SlotsOf(capacities[i]));
        var slot = rank % total;
        foreach (var index in order)
        {
            var slots = SlotsOf(capacities[index]);
            if (slot < slots)
            {
                return index;
            }
            slot -= slots;
        }
        throw new InvalidOperationException("Unreachable: the slot is below the total.");
    }

    private static int SlotsOf(SiloCapacity? capacity) => capacity?.Slots ?? 1;
}
