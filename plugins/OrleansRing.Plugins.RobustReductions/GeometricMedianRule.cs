namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Geometric median by smoothed Weiszfeld (ByzFL: z starts at 0, T iterations, distances floored at ν):
/// β_i = max(ν, ‖z − x_i‖), z ← Σ (x_i / β_i) / Σ (1 / β_i). Each iteration is one statistics round of n squared
/// distances to the current z, assembled from the chunks.
/// </summary>
internal sealed class GeometricMedianRule(int iterations, double nu) : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        var z = new float[work.Length];
        for (var t = 0; t < iterations; t++)
        {
            yield return ChunkStatistics.SquaredDistancesTo(work.Vectors, z);
            var weights = work.Totals.Select(d => 1.0 / Math.Max(nu, Math.Sqrt(d))).ToArray();
            var total = weights.Sum();
            for (var k = 0; k < z.Length; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += weights[i] * work.Vectors[i][k];
                }

                z[k] = (float)(sum / total);
            }
        }

        z.CopyTo(work.Result, 0);
    }

    public override int StatisticsValues(int count) => iterations * count;
}
