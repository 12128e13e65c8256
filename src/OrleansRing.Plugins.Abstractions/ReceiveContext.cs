namespace OrleansRing.Plugins.Abstractions;

/// <summary>Context of <see cref="IDefence.OnReceive"/>: which chunk arrived, from whom, and what it should be.</summary>
public readonly struct ReceiveContext
{
    /// <param name="ring">Receiver, ring size, iteration and detections.</param>
    /// <param name="phase">What the chunk is.</param>
    /// <param name="step">Ring step within the phase (0..N-2); 0 for contributions.</param>
    /// <param name="senderRank">Who sent it (the predecessor in scatter-reduce and allgather).</param>
    /// <param name="chunkIndex">Chunk number, 0..N-1.</param>
    /// <param name="chunkOffset">Index of the chunk's first value in the flattened gradient.</param>
    /// <param name="totalLength">L, the flattened gradient's length.</param>
    /// <param name="contributors">How many workers' values a partial sum holds (step + 1); 1 for a contribution; N in allgather.</param>
    /// <param name="ownerRank">The rank that reduces (and, with commitments, commits to) this chunk.</param>
    /// <param name="commitments">With <see cref="DefenceHooks.Commitments"/>, in allgather: each owner's commitment by rank; empty otherwise.</param>
    public ReceiveContext(
        DefenceContext ring,
        DefencePhase phase,
        int step,
        int senderRank,
        int chunkIndex,
        int chunkOffset,
        int totalLength,
        int contributors,
        int ownerRank,
        IReadOnlyList<ReadOnlyMemory<byte>>? commitments = null)
    {
        Ring = ring;
        Phase = phase;
        Step = step;
        SenderRank = senderRank;
        ChunkIndex = chunkIndex;
        ChunkOffset = chunkOffset;
        TotalLength = totalLength;
        Contributors = contributors;
        OwnerRank = ownerRank;
        Commitments = commitments ?? [];
    }

    public DefenceContext Ring { get; }

    public DefencePhase Phase { get; }

    public int Step { get; }

    public int SenderRank { get; }

    public int ChunkIndex { get; }

    public int ChunkOffset { get; }

    public int TotalLength { get; }

    public int Contributors { get; }

    public int OwnerRank { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Commitments { get; }

    public int Rank => Ring.Rank;

    public int WorldSize => Ring.WorldSize;

    public long Iteration => Ring.Iteration;

    public DetectionSink Detections => Ring.Detections;
}
