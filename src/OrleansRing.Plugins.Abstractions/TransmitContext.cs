namespace OrleansRing.Plugins.Abstractions;

/// <summary>Context of <see cref="IAttack.OnTransmit"/>: which chunk is leaving this worker, when, and where it sits.</summary>
public readonly struct TransmitContext
{
    /// <param name="attacker">The worker this attack runs on.</param>
    /// <param name="iteration">Training iteration, from 0.</param>
    /// <param name="phase">Scatter-reduce (partial sums) or allgather (finished chunks).</param>
    /// <param name="step">0..N-2 within <paramref name="phase"/>.</param>
    /// <param name="chunkIndex">Chunk number, 0..N-1: (rank - step) mod N in scatter-reduce, (rank + 1 - step) mod N in allgather.</param>
    /// <param name="chunkOffset">Index of the chunk's first value in the flattened gradient.</param>
    /// <param name="totalLength">L, the flattened gradient's length.</param>
    public TransmitContext(AttackerIdentity attacker, long iteration, TransmitPhase phase, int step, int chunkIndex, int chunkOffset, int totalLength)
    {
        ArgumentNullException.ThrowIfNull(attacker);
        Attacker = attacker;
        Iteration = iteration;
        Phase = phase;
        Step = step;
        ChunkIndex = chunkIndex;
        ChunkOffset = chunkOffset;
        TotalLength = totalLength;
    }

    public AttackerIdentity Attacker { get; }

    public long Iteration { get; }

    public TransmitPhase Phase { get; }

    public int Step { get; }

    public int ChunkIndex { get; }

    public int ChunkOffset { get; }

    public int TotalLength { get; }

    public int Rank => Attacker.Rank;

    public int WorldSize => Attacker.WorldSize;

    public AttackRandom Random => Attacker.Random;
}
