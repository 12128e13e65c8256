namespace OrleansRing.Grains.Placement;

/// <summary>
/// Worker placement by advertised capacity (<see cref="Compute.SiloCapacity"/>): GPU silos' slots first, then CPU
/// silos', ranks of one experiment in consecutive slots. The director that implements it lives with the silo hosting
/// (OrleansRing.Hosting), which registers both.
/// </summary>
[GenerateSerializer]
[Alias("orleansring.capacity-placement")]
public sealed class CapacityPlacementStrategy : PlacementStrategy
{
    public static CapacityPlacementStrategy Instance { get; } = new();
}
