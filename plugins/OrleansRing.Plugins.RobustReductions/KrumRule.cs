namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Krum (ByzFL's definition): score(i) = sum of the squared distances from vector i to its n−f−1 nearest other vectors;
/// Krum returns the vector with the lowest score, Multi-Krum the mean of the n−f lowest-scored. The whole-vector
/// distances are one statistics round: every owner sends its chunk's pairwise squared distances, and their sum is the
/// squared distance of the whole vectors. Ties go to the lower rank.
/// </summary>
internal sealed class KrumRule(bool multi) : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        yield return ChunkStatistics.PairwiseSquaredDistances(work.Vectors);
        var distances = work.Totals;
        var f = Math.Min(work.F, Math.Max(0, n - 2));
        var scores = Scores(distances, n, f, Enumerable.Range(0, n).ToArray());
        var order = ChunkStatistics.Order(scores);
        var selected = multi ? order.Take(n - f).Order().ToArray() : [order[0]];
        Selected = selected;
        ChunkStatistics.Mean(selected.Select(i => work.Vectors[i]), work.Result);
    }

    public override int StatisticsValues(int count) => ChunkStatistics.PairCount(count);

    /// <summary>Krum scores of the vectors in <paramref name="members"/> (indices into the distance totals), among themselves.</summary>
    public static double[] Scores(double[] distances, int n, int f, int[] members)
    {
        var m = members.Length;
        var neighbours = Math.Max(1, m - f - 1);
        var scores = new double[m];
        var row = new double[m - 1];
        for (var a = 0; a < m; a++)
        {
            var r = 0;
            for (var b = 0; b < m; b++)
            {
                if (a != b)
                {
                    row[r++] = ChunkStatistics.Pair(distances, members[a], members[b], n);
                }
            }

            Array.Sort(row);
            var score = 0.0;
            for (var k = 0; k < Math.Min(neighbours, row.Length); k++)
            {
                score += row[k];
            }

            scores[a] = score;
        }

        return scores;
    }
}
