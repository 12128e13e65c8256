namespace OrleansRing.Plugins.Abstractions;

/// <summary>One detection raised by a defence: who, why, and whether the coordinator should exclude that worker.</summary>
/// <param name="Rank">The suspect, as a rank of the current ring (the host records the worker's original rank).</param>
/// <param name="Reason">One sentence a researcher can read in result.json.</param>
/// <param name="Exclude">Ask the coordinator to rebuild the ring without this worker from the next iteration on.</param>
public readonly record struct DefenceFlag(int Rank, string Reason, bool Exclude);
