using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

/// <summary>
/// A robust reduction at the chunk owner: pre-aggregations, then the rule, then (with <c>flag-after</c> &gt; 0) one round
/// of whole-vector distances from every contribution to the aggregate, to flag persistent outliers. The steps are
/// iterators; <see cref="Reduce"/> advances them one statistics round per call, as the host's rounds go.
/// </summary>
internal sealed class RobustReduction(string name, ReductionRule rule, ReductionSettings settings) : IDefence
{
    private readonly int[] _outlierStreak = new int[1024];
    private ReductionWork? _work;
    private IEnumerator<double[]>? _steps;
    private int _worldSize;

    public DefenceHooks Hooks => DefenceHooks.Reduction;

    public long ExtraBytesPerIteration(int worldSize, int totalLength)
    {
        var count = worldSize;
        var values = 0L;
        foreach (var pre in settings.Pre)
        {
            var (v, after) = PreAggregations.Cost(pre, count, settings.BucketSize);
            values += v;
            count = after;
        }

        values += rule.StatisticsValues(count);
        if (settings.FlagAfter > 0)
        {
            values += worldSize;
        }

        // Every round's statistics go to the N − 1 other owners, as doubles.
        return (worldSize - 1) * values * sizeof(double);
    }

    public double[]? Reduce(in ReductionContext context, Span<float> result)
    {
        if (context.Round == 0)
        {
            if (_worldSize != context.WorldSize)
            {
                Array.Clear(_outlierStreak);
                _worldSize = context.WorldSize;
            }

            var contributions = context.Contributions.Select(c => c.ToArray()).ToArray();
            _work = new ReductionWork(contributions, settings.F, context.Ring.SharedSeed);
            if (rule is CenteredClippingRule clipping)
            {
                clipping.Chunk = context.ChunkIndex;
            }

            _steps = Steps(_work, context.ChunkIndex, context.Iteration, context.Detections).GetEnumerator();
        }
        else
        {
            _work!.Totals = context.Totals.ToArray();
        }

        if (_steps!.MoveNext())
        {
            return _steps.Current;
        }

        _work!.Result.CopyTo(result);
        _steps.Dispose();
        _steps = null;
        return null;
    }

    private IEnumerable<double[]> Steps(ReductionWork work, int chunk, long iteration, DetectionSink detections)
    {
        foreach (var pre in settings.Pre)
        {
            foreach (var statistics in PreAggregations.Apply(pre, work, settings.ClipThreshold, settings.BucketSize))
            {
                yield return statistics;
            }
        }

        foreach (var statistics in rule.Aggregate(work))
        {
            yield return statistics;
        }

        if (settings.FlagAfter == 0)
        {
            yield break;
        }

        yield return ChunkStatistics.SquaredDistancesTo(work.Contributions, work.Result);
        var distances = work.Totals.Select(Math.Sqrt).ToArray();
        var sorted = distances.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        for (var rank = 0; rank < n; rank++)
        {
            var outlier = distances[rank] > settings.OutlierFactor * median || !double.IsFinite(distances[rank]);
            _outlierStreak[rank] = outlier ? _outlierStreak[rank] + 1 : 0;

            // Every owner computes the same whole-vector distances; the owner of chunk 0 speaks for all of them.
            if (chunk == 0 && _outlierStreak[rank] == settings.FlagAfter)
            {
                detections.Flag(
                    rank,
                    $"{name}: distance to the aggregate {distances[rank]:G4} above {settings.OutlierFactor:G3} x the median {median:G4} for {settings.FlagAfter} iterations in a row (to iteration {iteration})",
                    settings.Exclude);
            }
        }
    }
}
