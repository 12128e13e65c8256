namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.ring-phase")]
public enum RingPhase
{
    ScatterReduce = 0,
    AllGather = 1,
}
