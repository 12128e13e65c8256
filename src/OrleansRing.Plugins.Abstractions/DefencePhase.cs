namespace OrleansRing.Plugins.Abstractions;

/// <summary>What a chunk that reaches <see cref="IDefence.OnReceive"/> is.</summary>
public enum DefencePhase
{
    /// <summary>A running partial sum of <see cref="ReceiveContext.Contributors"/> contributions (plain scatter-reduce).</summary>
    ScatterReduce = 0,

    /// <summary>A finished chunk forwarded around the ring; the receiver overwrites its copy.</summary>
    AllGather = 1,

    /// <summary>One worker's raw chunk sent to the chunk's owner, for a <see cref="DefenceHooks.Reduction"/>.</summary>
    Contribution = 2,
}
