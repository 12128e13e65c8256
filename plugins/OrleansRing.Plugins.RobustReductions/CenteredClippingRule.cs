namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// Centered clipping: from v = the previous iteration's aggregate of this chunk (zeros at first), repeat L times
/// v ← v + mean_i (x_i − v)·min(1, τ/‖x_i − v‖). Each repetition is one statistics round (n squared distances to v).
/// Stateful: the owner keeps its chunk's last aggregate; the instance starts over when the chunk changes.
/// </summary>
internal sealed class CenteredClippingRule(int iterations, double tau) : ReductionRule
{
    private float[] _previous = [];
    private int _previousChunk = -1;

    public int Chunk { get; set; }

    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        var v = _previousChunk == Chunk && _previous.Length == work.Length ? (float[])_previous.Clone() : new float[work.Length];
        for (var t = 0; t < iterations; t++)
        {
            yield return ChunkStatistics.SquaredDistancesTo(work.Vectors, v);
            var factors = work.Totals.Select(d => d > 0 ? Math.Min(1.0, tau / Math.Sqrt(d)) : 1.0).ToArray();
            for (var k = 0; k < v.Length; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += ((double)work.Vectors[i][k] - v[k]) * factors[i];
                }

                v[k] = (float)(v[k] + (sum / n));
            }
        }

        v.CopyTo(work.Result, 0);
        _previous = v;
        _previousChunk = Chunk;
    }

    public override int StatisticsValues(int count) => iterations * count;
}
