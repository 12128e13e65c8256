namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// One owner's reduction of one chunk in progress: the current vectors (the contributions, replaced by pre-aggregations),
/// the latest whole-vector totals handed back by the host, and the result.
/// </summary>
internal sealed class ReductionWork
{
    public ReductionWork(float[][] contributions, int f, ulong sharedSeed)
    {
        Contributions = contributions;
        Vectors = contributions;
        F = f;
        SharedSeed = sharedSeed;
        Result = new float[contributions.Length == 0 ? 0 : contributions[0].Length];
    }

    /// <summary>The raw contributions, by rank (never modified).</summary>
    public float[][] Contributions { get; }

    /// <summary>What the next stage works on; pre-aggregations replace it (bucketing also changes the count).</summary>
    public float[][] Vectors { get; set; }

    public int Count => Vectors.Length;

    public int Length => Result.Length;

    /// <summary>The declared number of Byzantine workers.</summary>
    public int F { get; }

    public ulong SharedSeed { get; }

    /// <summary>The sum over all owners of the statistics last yielded.</summary>
    public double[] Totals { get; set; } = [];

    public float[] Result { get; }
}
