namespace OrleansRing.Plugins.RobustReductions;

/// <summary>The plain mean (what the ring computes), for pre-aggregations and detection without a robust rule.</summary>
internal sealed class AverageRule : ReductionRule
{
    public override IEnumerable<double[]> Aggregate(ReductionWork work)
    {
        ChunkStatistics.Mean(work.Vectors, work.Result);
        yield break;
    }

    public override int StatisticsValues(int count) => 0;
}
