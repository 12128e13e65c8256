using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansRing.Grains.Compute;

namespace OrleansRing.Hosting;

/// <summary>Reads each silo's <see cref="SiloCapacity"/> from Orleans' silo metadata cache (local, no call).</summary>
internal sealed class SiloMetadataCapacityDirectory(ISiloMetadataCache metadata) : ISiloCapacityDirectory
{
    public SiloCapacity? CapacityOf(SiloAddress silo) =>
        SiloCapacity.TryRead(metadata.GetSiloMetadata(silo).Metadata, out var capacity) ? capacity : null;
}
