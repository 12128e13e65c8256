namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Bulyan: select θ = n − 2f vectors by repeated Krum (each time the best-scored among those left), then per coordinate
/// average the β = θ − 2f selected values closest to their median. Needs n ≥ 4f + 3; f is lowered to ⌊(n − 3)/4⌋ when
/// the ring is smaller. One statistics round (the pairwise distances).
/// </summary>
internal sealed class BulyanRule : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        yield return ChunkStatistics.PairwiseSquaredDistances(work.Vectors);
        var f = Math.Max(0, Math.Min(work.F, (n - 3) / 4));
        var theta = n - (2 * f);
        var remaining = Enumerable.Range(0, n).ToList();
        var selected = new List<int>(theta);
        while (selected.Count < theta)
        {
            var members = remaining.ToArray();
            var scores = KrumRule.Scores(work.Totals, n, f, members);
            var best = members[ChunkStatistics.Order(scores)[0]];
            selected.Add(best);
            remaining.Remove(best);
        }

        selected.Sort();
        Selected = selected;
        var beta = theta - (2 * f);
        var column = new float[theta];
        var byDistance = new int[theta];
        for (var k = 0; k < work.Length; k++)
        {
            for (var s = 0; s < theta; s++)
            {
                column[s] = work.Vectors[selected[s]][k];
            }

            var sorted = (float[])column.Clone();
            Array.Sort(sorted);
            var median = theta % 2 == 1 ? sorted[theta / 2] : ((double)sorted[(theta / 2) - 1] + sorted[theta / 2]) / 2;
            for (var s = 0; s < theta; s++)
            {
                byDistance[s] = s;
            }

            var order = byDistance.OrderBy(s => Math.Abs(column[s] - median)).ThenBy(s => s).Take(beta);
            work.Result[k] = (float)(order.Sum(s => (double)column[s]) / beta);
        }
    }

    public override int StatisticsValues(int count) => ChunkStatistics.PairCount(count);
}
