namespace OrleansRing.Abstractions;

/// <summary>Tells a client (a sweep choosing its concurrency) what the cluster can run at once.</summary>
[Alias("orleansring.IClusterCapacityGrain")]
public interface IClusterCapacityGrain : IGrainWithIntegerKey
{
    [Alias("capacity")]
    Task<ClusterCapacity> GetCapacityAsync();
}
