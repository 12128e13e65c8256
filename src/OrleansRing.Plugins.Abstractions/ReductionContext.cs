namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Context of <see cref="IDefence.Reduce"/> at the owner of one chunk: the N contributions to it, and the whole-vector
/// totals of the statistics rounds done so far.
/// </summary>
public readonly struct ReductionContext
{
    /// <param name="ring">The owner, ring size, iteration and detections.</param>
    /// <param name="chunkIndex">The chunk this owner reduces.</param>
    /// <param name="chunkOffset">Index of the chunk's first value in the flattened gradient.</param>
    /// <param name="totalLength">L, the flattened gradient's length.</param>
    /// <param name="contributions">
    /// Every worker's raw values of this chunk, by rank (index i is rank i's), each the chunk's length; unchanged and
    /// valid for every round of one reduction.
    /// </param>
    /// <param name="round">0 on the first call; k after k statistics rounds.</param>
    /// <param name="totals">
    /// After a round: the element-wise sum, over the owners of all N chunks (in rank order), of the statistics each
    /// returned for that round: a whole-vector quantity assembled from per-chunk parts. Empty on round 0.
    /// </param>
    public ReductionContext(
        DefenceContext ring,
        int chunkIndex,
        int chunkOffset,
        int totalLength,
        IReadOnlyList<ReadOnlyMemory<float>> contributions,
        int round,
        ReadOnlyMemory<double> totals)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        Ring = ring;
        ChunkIndex = chunkIndex;
        ChunkOffset = chunkOffset;
        TotalLength = totalLength;
        Contributions = contributions;
        Round = round;
        Totals = totals;
    }

    public DefenceContext Ring { get; }

    public int ChunkIndex { get; }

    public int ChunkOffset { get; }

    public int TotalLength { get; }

    public IReadOnlyList<ReadOnlyMemory<float>> Contributions { get; }

    public int Round { get; }

    public ReadOnlyMemory<double> Totals { get; }

    public int Rank => Ring.Rank;

    public int WorldSize => Ring.WorldSize;

    public long Iteration => Ring.Iteration;

    public DetectionSink Detections => Ring.Detections;
}
