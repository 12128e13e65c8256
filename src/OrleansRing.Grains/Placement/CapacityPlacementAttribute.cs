using Orleans.Placement;

namespace OrleansRing.Grains.Placement;

/// <summary>Places a grain by <see cref="CapacityPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CapacityPlacementAttribute : PlacementAttribute
{
    public CapacityPlacementAttribute()
        : base(CapacityPlacementStrategy.Instance)
    {
    }
}
