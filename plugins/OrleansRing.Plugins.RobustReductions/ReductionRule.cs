namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// One aggregation rule over the current vectors of a <see cref="ReductionWork"/>, written as an iterator: each yielded
/// array is a statistics vector the host sums over all owners; the whole-vector totals are in
/// <see cref="ReductionWork.Totals"/> when the iterator resumes. At the end the rule has written <see cref="ReductionWork.Result"/>.
/// </summary>
internal abstract class ReductionRule
{
    public abstract IEnumerable<double[]> Aggregate(ReductionWork work);

    /// <summary>Statistics values the rule yields per iteration for <paramref name="count"/> vectors (for the declared extra bytes).</summary>
    public abstract int StatisticsValues(int count);

    /// <summary>Which of the current vectors the rule kept, when it selects (Krum...); null for coordinate-wise rules.</summary>
    public IReadOnlyList<int>? Selected { get; protected set; }
}
