namespace OrleansRing.Storage;

/// <summary>The two halves of a ring all-reduce; part of every chunk's blob name.</summary>
public enum RingPhase
{
    /// <summary>Each worker sends a chunk on and adds what it receives; blob segment "scatter-reduce".</summary>
    ScatterReduce = 0,

    /// <summary>Each worker passes the fully reduced chunks around; blob segment "allgather".</summary>
    AllGather = 1,
}
