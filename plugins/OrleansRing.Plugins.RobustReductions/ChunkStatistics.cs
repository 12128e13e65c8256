namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Per-chunk parts of whole-vector quantities: summed over the N chunks by the host, they give squared norms and squared
/// distances of the whole vectors. All sums in double.
/// </summary>
internal static class ChunkStatistics
{
    /// <summary>Index of the pair (i, j), i &lt; j, in the upper triangle of an n × n matrix, row by row.</summary>
    public static int PairIndex(int i, int j, int n) => (i * n) - (i * (i + 1) / 2) + (j - i - 1);

    public static int PairCount(int n) => n * (n - 1) / 2;

    public static double[] PairwiseSquaredDistances(float[][] vectors)
    {
        var n = vectors.Length;
        var result = new double[PairCount(n)];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                result[PairIndex(i, j, n)] = SquaredDistance(vectors[i], vectors[j]);
            }
        }

        return result;
    }

    /// <summary>The whole-vector squared distance of (i, j) from the totals of <see cref="PairwiseSquaredDistances"/>.</summary>
    public static double Pair(double[] totals, int i, int j, int n) =>
        i == j ? 0 : totals[i < j ? PairIndex(i, j, n) : PairIndex(j, i, n)];

    public static double[] SquaredNorms(float[][] vectors) => [.. vectors.Select(v => SquaredDistance(v, null))];

    public static double[] SquaredDistancesTo(float[][] vectors, float[] center) => [.. vectors.Select(v => SquaredDistance(v, center))];

    public static double SquaredDistance(float[] a, float[]? b)
    {
        var sum = 0.0;
        for (var k = 0; k < a.Length; k++)
        {
            var d = (double)a[k] - (b is null ? 0.0 : b[k]);
            sum += d * d;
        }

        return sum;
    }

    /// <summary>result = mean of the given vectors, summed in double.</summary>
    public static void Mean(IEnumerable<float[]> vectors, float[] result)
    {
        var list = vectors.ToList();
        for (var k = 0; k < result.Length; k++)
        {
            var sum = 0.0;
            foreach (var v in list)
            {
                sum += v[k];
            }

            result[k] = (float)(sum / list.Count);
        }
    }

    /// <summary>Indices ordered by (value, index): a deterministic order for ties.</summary>
    public static int[] Order(IReadOnlyList<double> values) =>
        [.. Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ThenBy(i => i)];
}
