using OrleansRing.Grains.Compute;
using OrleansRing.Grains.Placement;

namespace OrleansRing.Grains.Tests;

public sealed class CapacitySlotPlanTests
{
    private static readonly SiloCapacity s_cpu4 = new(gpus: 0, slotsPerDevice: 4);
    private static readonly SiloCapacity s_gpu2x2 = new(gpus: 2, slotsPerDevice: 2);

    [Fact]
    public void Ranks_GoToGpuSlotsFirst_WhateverTheSiloOrder()
    {
        SiloCapacity?[] silos = [s_cpu4, null, s_gpu2x2];

        var placed = Enumerable.Range(0, 9).Select(rank => CapacitySlotPlan.SiloIndexForRank(silos, rank)).ToArray();

        // GPU silo (index 2): 4 slots; CPU silo (0): 4 slots; the silo with no capacity (1): one slot, last.
        Assert.Equal([2, 2, 2, 2, 0, 0, 0, 0, 1], placed);
    }

    [Fact]
    public void Ranks_BeyondAllSlots_WrapAround()
    {
        SiloCapacity?[] silos = [s_gpu2x2, s_cpu4];

        Assert.Equal(CapacitySlotPlan.SiloIndexForRank(silos, 0), CapacitySlotPlan.SiloIndexForRank(silos, 8));
        Assert.Equal(CapacitySlotPlan.SiloIndexForRank(silos, 5), CapacitySlotPlan.SiloIndexForRank(silos, 13));
    }

    [Fact]
    public void Capacity_RoundTripsThroughSiloMetadata_AndRejectsForeignMetadata()
    {
        Assert.True(SiloCapacity.TryRead(s_gpu2x2.ToMetadata(), out var read));
        Assert.Equal(s_gpu2x2, read);
        Assert.Equal(4, read!.Slots);
        Assert.False(SiloCapacity.TryRead(new Dictionary<string, string> { [SiloCapacity.GpusKey] = "two", [SiloCapacity.SlotsPerDeviceKey] = "1" }, out _));
        Assert.False(SiloCapacity.TryRead(new Dictionary<string, string>(), out _));
    }
}
