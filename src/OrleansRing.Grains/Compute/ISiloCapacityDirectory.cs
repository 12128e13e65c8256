namespace OrleansRing.Grains.Compute;

/// <summary>
/// The capacity each silo advertised when it started (its silo metadata). Kept as an interface so grains need not
/// depend on Orleans' runtime internals; the host implements it over the silo metadata cache.
/// </summary>
public interface ISiloCapacityDirectory
{
    /// <summary>The capacity <paramref name="silo"/> advertised, or null for a silo that advertised none.</summary>
    SiloCapacity? CapacityOf(SiloAddress silo);
}
