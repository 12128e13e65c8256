namespace OrleansRing.Plugins.RobustReductions;

/// <summary>Per coordinate: drop the f largest and f smallest values, average the rest (ByzFL TrMean). f is capped at ⌊(n−1)/2⌋.</summary>
internal sealed class TrimmedMeanRule : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        var f = Math.Min(work.F, (n - 1) / 2);
        var column = new float[n];
        for (var k = 0; k < work.Length; k++)
        {
            for (var i = 0; i < n; i++)
            {
                column[i] = work.Vectors[i][k];
            }

            Array.Sort(column);
            var sum = 0.0;
            for (var i = f; i < n - f; i++)
            {
                sum += column[i];
            }

            work.Result[k] = (float)(sum / (n - (2 * f)));
        }

        yield break;
    }

    public override int StatisticsValues(int count) => 0;
}
