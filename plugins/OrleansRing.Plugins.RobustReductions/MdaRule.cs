namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Minimum-diameter averaging: among all subsets of n − f vectors, the one whose largest pairwise distance is smallest
/// (ties: the lexicographically first), averaged. One statistics round (the pairwise distances); the search is
/// C(n, f) subsets, cheap for the ring sizes OrleansRing runs.
/// </summary>
internal sealed class MdaRule : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        yield return ChunkStatistics.PairwiseSquaredDistances(work.Vectors);
        var size = n - Math.Min(work.F, n - 1);
        int[]? best = null;
        var bestDiameter = double.PositiveInfinity;
        foreach (var subset in Subsets(n, size))
        {
            var diameter = 0.0;
            for (var a = 0; a < subset.Length; a++)
            {
                for (var b = a + 1; b < subset.Length; b++)
                {
                    diameter = Math.Max(diameter, ChunkStatistics.Pair(work.Totals, subset[a], subset[b], n));
                }
            }

            if (best is null || diameter < bestDiameter)
            {
                best = subset;
                bestDiameter = diameter;
            }
        }

        Selected = best!;
        ChunkStatistics.Mean(best!.Select(i => work.Vectors[i]), work.Result);
    }

    public override int StatisticsValues(int count) => ChunkStatistics.PairCount(count);

    /// <summary>All subsets of <paramref name="size"/> of 0..n−1, in lexicographic order.</summary>
    private static IEnumerable<int[]> Subsets(int n, int size)
    {
        var indices = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return (int[])indices.Clone();
            var i = size - 1;
            while (i >= 0 && indices[i] == n - size + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            indices[i]++;
            for (var j = i + 1; j < size; j++)
            {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }
}
