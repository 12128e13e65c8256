namespace OrleansRing.Plugins.RobustReductions;

/// <summary>The pre-aggregations, as iterators over <see cref="ReductionWork"/> like the rules (see <see cref="ReductionRule"/>).</summary>
internal static class PreAggregations
{
    public static IReadOnlyList<PreAggregationKind> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var names = Enum.GetNames<PreAggregationKind>().Select(n => n.ToLowerInvariant()).ToList();
        return [.. text.Split('+', StringSplitOptions.TrimEntries).Select(part =>
            Enum.TryParse<PreAggregationKind>(part, ignoreCase: true, out var kind) && names.Contains(part.ToLowerInvariant())
                ? kind
                : throw new ArgumentException($"pre: '{part}' is not a pre-aggregation; use none or a '+'-separated list of {string.Join(", ", names)}."))];
    }

    public static IEnumerable<double[]> Apply(PreAggregationKind kind, ReductionWork work, double clipThreshold, int bucketSize) => kind switch
    {
        PreAggregationKind.Clip => Clip(work, clipThreshold),
        PreAggregationKind.Arc => Arc(work),
        PreAggregationKind.Nnm => Nnm(work),
        PreAggregationKind.Bucketing => Bucketing(work, bucketSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Statistics values per iteration, and the vector count after it.</summary>
    public static (int Values, int CountAfter) Cost(PreAggregationKind kind, int count, int bucketSize) => kind switch
    {
        PreAggregationKind.Clip or PreAggregationKind.Arc => (count, count),
        PreAggregationKind.Nnm => (ChunkStatistics.PairCount(count), count),
        PreAggregationKind.Bucketing => (0, (count + bucketSize - 1) / bucketSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static IEnumerable<double[]> Clip(ReductionWork work, double threshold)
    {
        yield return ChunkStatistics.SquaredNorms(work.Vectors);
        work.Vectors = Scale(work.Vectors, work.Totals, threshold);
    }

    private static IEnumerable<double[]> Arc(ReductionWork work)
    {
        yield return ChunkStatistics.SquaredNorms(work.Vectors);
        var n = work.Count;
        var f = Math.Min(work.F, n - 1);
        var clipped = (int)Math.Floor(2.0 * f / n * (n - f));
        var norms = work.Totals.Select(Math.Sqrt).ToArray();
        var threshold = norms[ChunkStatistics.Order(norms)[n - clipped - 1]];
        work.Vectors = Scale(work.Vectors, work.Totals, threshold);
    }

    private static IEnumerable<double[]> Nnm(ReductionWork work)
    {
        yield return ChunkStatistics.PairwiseSquaredDistances(work.Vectors);
        var n = work.Count;
        var keep = n - Math.Min(work.F, n - 1);
        var mixed = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => ChunkStatistics.Pair(work.Totals, i, j, n)).ToArray();
            mixed[i] = new float[work.Length];
            ChunkStatistics.Mean(ChunkStatistics.Order(row).Take(keep).Select(j => work.Vectors[j]), mixed[i]);
        }

        work.Vectors = mixed;
    }

    private static IEnumerable<double[]> Bucketing(ReductionWork work, int size)
    {
        var n = work.Count;
        var order = Enumerable.Range(0, n).ToArray();
        // The same permutation at every owner of this iteration: a Fisher-Yates shuffle driven by the shared seed.
        var state = work.SharedSeed;
        for (var i = n - 1; i > 0; i--)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            var j = (int)((state >> 33) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var buckets = new float[(n + size - 1) / size][];
        for (var b = 0; b < buckets.Length; b++)
        {
            buckets[b] = new float[work.Length];
            ChunkStatistics.Mean(order.Skip(b * size).Take(size).Select(i => work.Vectors[i]), buckets[b]);
        }

        work.Vectors = buckets;
        yield break;
    }

    private static float[][] Scale(float[][] vectors, double[] squaredNorms, double threshold)
    {
        var result = new float[vectors.Length][];
        for (var i = 0; i < vectors.Length; i++)
        {
            var norm = Math.Sqrt(squaredNorms[i]);
            var factor = norm > threshold ? threshold / norm : 1.0;
            result[i] = factor == 1.0 ? vectors[i] : [.. vectors[i].Select(x => (float)(x * factor))];
        }

        return result;
    }
}
