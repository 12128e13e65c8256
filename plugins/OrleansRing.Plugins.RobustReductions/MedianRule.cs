namespace OrleansRing.Plugins.RobustReductions;

/// <summary>Coordinate-wise median; with an even count, the mean of the two middle values (as numpy and torch's nanmedian-free median in ByzFL).</summary>
internal sealed class MedianRule : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        var n = work.Count;
        var column = new float[n];
        for (var k = 0; k < work.Length; k++)
        {
            for (var i = 0; i < n; i++)
            {
                column[i] = work.Vectors[i][k];
            }

            Array.Sort(column);
            work.Result[k] = n % 2 == 1 ? column[n / 2] : (float)(((double)column[(n / 2) - 1] + column[n / 2]) / 2);
        }

        yield break;
    }

    public override int StatisticsValues(int count) => 0;
}
