namespace OrleansRing.Plugins.Abstractions;

/// <summary>The ring phase a chunk is sent in. Values match <c>OrleansRing.Storage.RingPhase</c>, so a cast converts.</summary>
public enum TransmitPhase
{
    /// <summary>The chunk is a running partial sum; the receiver adds its own values.</summary>
    ScatterReduce = 0,

    /// <summary>The chunk is finished (averaged); the receiver overwrites its copy.</summary>
    AllGather = 1,
}
