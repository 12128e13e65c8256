namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Which sends the stall attack delays.</summary>
internal enum StallPhase
{
    All = 0,
    ScatterReduce = 1,
    AllGather = 2,
}
