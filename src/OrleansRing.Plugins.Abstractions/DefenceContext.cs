namespace OrleansRing.Plugins.Abstractions;

/// <summary>Context of the whole-vector hooks (<see cref="IDefence.OnContribution"/>, <see cref="IDefence.OnAggregate"/>, attestations).</summary>
public readonly struct DefenceContext
{
    /// <param name="rank">This worker's rank in the current ring, 0..<paramref name="worldSize"/>-1.</param>
    /// <param name="worldSize">Workers in the current ring (N, or fewer after exclusions).</param>
    /// <param name="iteration">Training iteration, from 0.</param>
    /// <param name="sharedSeed">The same on every worker for this iteration (for shuffles that must agree, e.g. bucketing).</param>
    /// <param name="detections">Where to report suspects.</param>
    public DefenceContext(int rank, int worldSize, long iteration, ulong sharedSeed, DetectionSink detections)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        ArgumentNullException.ThrowIfNull(detections);
        Rank = rank;
        WorldSize = worldSize;
        Iteration = iteration;
        SharedSeed = sharedSeed;
        Detections = detections;
    }

    public int Rank { get; }

    public int WorldSize { get; }

    public long Iteration { get; }

    public ulong SharedSeed { get; }

    public DetectionSink Detections { get; }
}
