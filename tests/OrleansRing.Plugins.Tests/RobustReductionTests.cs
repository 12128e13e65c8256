using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

/// <summary>
/// Each reduction run chunk by chunk, as the owners of a ring run it, against its definition on the whole vectors.
/// Inputs are small integers, so every sum and squared distance is exact and results compare for equality.
/// </summary>
public sealed class RobustReductionTests
{
    // Five workers, seven values: chunks of 2, 2, 1, 1, 1 values, so every rule meets uneven chunks.
    private static float[][] Five() =>
    [
        [1, 2, 3, 4, 5, 6, 7],
        [2, 1, 4, 3, 6, 5, 8],
        [3, 3, 3, 3, 3, 3, 3],
        [0, 5, 1, 2, 2, 9, 6],
        [100, -100, 50, 60, -70, 80, 90],
    ];

    [Fact]
    public void Median_IsTheCoordinateWiseMedian_OddAndEven()
    {
        var odd = Five();
        var even = odd[..4];

        var oddResult = Defences.Reduce("median", odd).Result;
        var evenResult = Defences.Reduce("median", even).Result;

        Assert.Equal([2, 2, 3, 3, 3, 6, 7], oddResult);
        // Even count: the mean of the two middle values, e.g. coordinate 0 of {0,1,2,3} is 1.5.
        Assert.Equal([1.5f, 2.5f, 3, 3, 4, 5.5f, 6.5f], evenResult);
    }

    [Fact]
    public void TrimmedMean_DropsTheFLargestAndSmallestOfEachCoordinate()
    {
        var vectors = Five();

        var f1 = Defences.Reduce("trimmed-mean:f=1", vectors).Result;
        var f2 = Defences.Reduce("trimmed-mean:f=2", vectors).Result;

        Assert.Equal([2, 2, (float)(10.0 / 3), (float)(10.0 / 3), (float)(10.0 / 3), (float)(20.0 / 3), 7], f1);
        Assert.Equal(Defences.Reduce("median", vectors).Result, f2);
    }

    [Fact]
    public void Krum_WholeVectorDistancesAssembledFromChunks_EqualTheDirectDistances()
    {
        var vectors = Five();

        var run = Defences.Reduce("krum:f=1,pre=none,flag-after=0", vectors);

        var distances = Assert.Single(run.RoundTotals);
        var n = vectors.Length;
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                Assert.Equal(Defences.SquaredDistance(vectors[i], vectors[j]), distances[k++]);
            }
        }
        Assert.Equal(n * (n - 1) / 2, k);
        Assert.Equal(vectors[KrumWinners(vectors, f: 1, take: 1)[0]], run.Result);
    }

    [Fact]
    public void MultiKrum_AveragesTheNMinusFBestScored()
    {
        var vectors = Five();

        var result = Defences.Reduce("multi-krum:f=1,flag-after=0", vectors).Result;

        var winners = KrumWinners(vectors, f: 1, take: 4);
        Assert.DoesNotContain(4, winners);
        Assert.Equal(Defences.Mean(winners.Select(i => vectors[i])), result);
    }

    [Fact]
    public void GeometricMedian_OneWeiszfeldStepFromZero_MatchesTheWholeVectorFormula()
    {
        var vectors = Five();

        var result = Defences.Reduce("geometric-median:iterations=1,flag-after=0", vectors).Result;

        var zero = new float[7];
        var weights = vectors.Select(v => 1.0 / Math.Max(0.1, Math.Sqrt(Defences.SquaredDistance(v, zero)))).ToArray();
        var total = weights.Sum();
        float[] expected = [.. Enumerable.Range(0, 7).Select(c =>
        {
            var sum = 0.0;
            for (var i = 0; i < vectors.Length; i++)
            {
                sum += weights[i] * vectors[i][c];
            }
            return (float)(sum / total);
        })];
        Assert.Equal(expected, result);
    }

    [Fact]
    public void GeometricMedian_ResistsTheOutlierBetterThanTheMean()
    {
        var vectors = Five();

        var median = Defences.Reduce("geometric-median:flag-after=0", vectors).Result;

        var honestMean = Defences.Mean(vectors[..4]);
        Assert.True(Defences.SquaredDistance(median, honestMean) < Defences.SquaredDistance(Defences.Mean(vectors), honestMean) / 10);
    }

    [Fact]
    public void CenteredClipping_OneIterationFromZero_IsTheMeanOfClippedVectors()
    {
        var vectors = Five();

        var result = Defences.Reduce("centered-clipping:tau=10,iterations=1,flag-after=0", vectors).Result;

        var factors = vectors.Select(v => Math.Min(1.0, 10 / Math.Sqrt(Defences.SquaredDistance(v, new float[7])))).ToArray();
        float[] expected = [.. Enumerable.Range(0, 7).Select(c =>
        {
            var sum = 0.0;
            for (var i = 0; i < vectors.Length; i++)
            {
                sum += (double)vectors[i][c] * factors[i];
            }
            return (float)(0 + (sum / vectors.Length));
        })];
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Bulyan_RepeatedKrumThenTrimmedAroundTheMedian_MatchesTheWholeVectorRule()
    {
        // n = 7 ≥ 4f + 3 for f = 1: θ = 5 selected, β = 3 averaged per coordinate.
        float[][] vectors = [.. Five(), [4, 4, 2, 5, 5, 5, 5], [1, 1, 1, 1, 1, 1, 1]];

        var result = Defences.Reduce("bulyan:f=1,flag-after=0", vectors).Result;

        var remaining = Enumerable.Range(0, 7).ToList();
        var selected = new List<int>();
        while (selected.Count < 5)
        {
            var scores = remaining.Select(i => remaining.Where(j => j != i).Select(j => Defences.SquaredDistance(vectors[i], vectors[j])).Order().Take(remaining.Count - 2).Sum()).ToList();
            var best = remaining[scores.IndexOf(scores.Min())];
            selected.Add(best);
            remaining.Remove(best);
        }
        Assert.DoesNotContain(4, selected);
        selected.Sort();
        float[] expected = [.. Enumerable.Range(0, 7).Select(c =>
        {
            var column = selected.Select(i => vectors[i][c]).ToArray();
            var median = column.Order().ElementAt(2);
            var closest = Enumerable.Range(0, 5).OrderBy(s => Math.Abs(column[s] - (double)median)).ThenBy(s => s).Take(3);
            return (float)(closest.Sum(s => (double)column[s]) / 3);
        })];
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Mda_AveragesTheSubsetOfSmallestDiameter()
    {
        var vectors = Five()[1..];

        var result = Defences.Reduce("mda:f=1,flag-after=0", vectors).Result;

        Assert.Equal(Defences.Mean(vectors[..3]), result);
    }

    [Fact]
    public void StaticClipping_ScalesEveryVectorAboveTheBoundToIt()
    {
        float[][] vectors = [[3, 4, 0], [0, 0, 1], [0, 6, 8]];

        var result = Defences.Reduce("average:pre=clip,clip-threshold=2,flag-after=0", vectors).Result;

        float[][] clipped = [[(float)(3 * (2.0 / 5)), (float)(4 * (2.0 / 5)), 0], [0, 0, 1], [0, (float)(6 * (2.0 / 10)), (float)(8 * (2.0 / 10))]];
        Assert.Equal(Defences.Mean(clipped), result);
    }

    [Fact]
    public void Arc_ClipsTheLargestToTheNormOfTheNextLargest()
    {
        // n = 4, f = 1: k = ⌊2·(1/4)·3⌋ = 1 vector clipped, to the second largest norm (5).
        float[][] vectors = [[3, 4], [0, 1], [0, 2], [60, 80]];

        var result = Defences.Reduce("average:pre=arc,f=1,flag-after=0", vectors).Result;

        float[][] clipped = [[3, 4], [0, 1], [0, 2], [(float)(60 * (5.0 / 100)), (float)(80 * (5.0 / 100))]];
        Assert.Equal(Defences.Mean(clipped), result);
    }

    [Fact]
    public void Nnm_ReplacesEachVectorByTheMeanOfItsNMinusFNearest()
    {
        float[][] vectors = [[0, 0], [1, 0], [0, 2], [10, 10]];

        var result = Defences.Reduce("average:pre=nnm,f=1,flag-after=0", vectors).Result;

        var mixed = vectors.Select(v => Defences.Mean(vectors.OrderBy(w => Defences.SquaredDistance(v, w)).Take(3))).ToArray();
        Assert.Equal(Defences.Mean(mixed), result);
    }

    [Fact]
    public void Krum_ByDefault_SelectsAmongTheNnmMixes_NotOneRawContribution()
    {
        var vectors = Five();

        var byDefault = Defences.Reduce("krum:flag-after=0", vectors).Result;

        var mixed = vectors.Select(v => Defences.Mean(vectors.OrderBy(w => Defences.SquaredDistance(v, w)).Take(vectors.Length - 1))).ToArray();
        Assert.Equal(mixed[KrumWinners(mixed, f: 1, take: 1)[0]], byDefault);
        Assert.Equal(Defences.Reduce("krum:pre=nnm,flag-after=0", vectors).Result, byDefault);
        Assert.DoesNotContain(vectors, v => v.AsSpan().SequenceEqual(byDefault));
    }

    [Fact]
    public void Bucketing_OfOneIsThePlainRule_OfNIsTheMean()
    {
        var vectors = Five();

        Assert.Equal(Defences.Reduce("median", vectors).Result, Defences.Reduce("median:pre=bucketing,bucket-size=1", vectors).Result);
        Assert.Equal(Defences.Mean(vectors), Defences.Reduce("median:pre=bucketing,bucket-size=5", vectors).Result);
    }

    [Fact]
    public void OutlierDetection_FlagsOnlyTheOutlier_Once()
    {
        var run = Defences.Reduce("median:flag-after=1,exclude=true", Five());

        var flag = Assert.Single(run.Flags);
        Assert.Equal(4, flag.Rank);
        Assert.True(flag.Exclude);
        Assert.Empty(Defences.Reduce("median:flag-after=1", Five()[..4]).Flags);
    }

    [Theory]
    [InlineData("median")]
    [InlineData("trimmed-mean")]
    [InlineData("krum")]
    [InlineData("multi-krum:pre=nnm")]
    [InlineData("geometric-median")]
    [InlineData("centered-clipping:pre=clip+bucketing")]
    [InlineData("bulyan:pre=arc")]
    [InlineData("mda:flag-after=0")]
    public void DeclaredExtraBytes_AreTheStatisticsEveryOwnerSendsToTheOthers(string selection)
    {
        float[][] vectors = [.. Five(), [1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 2]];

        var run = Defences.Reduce(selection, vectors);

        var n = vectors.Length;
        Assert.Equal((n - 1) * run.RoundTotals.Sum(t => (long)t.Length) * sizeof(double), Defences.Create(selection).ExtraBytesPerIteration(n, 7));
    }

    [Fact]
    public void UnknownPreAggregation_IsRejectedNamingTheValidOnes()
    {
        var error = Assert.Throws<OrleansRing.Plugins.Host.PluginSelectionException>(() => Catalogs.BuiltIn.CreateDefence("median:pre=nmm"));

        Assert.Contains("nnm", error.Message);
    }

    /// <summary>Krum's rule on whole vectors: the <paramref name="take"/> lowest scores (sum of squared distances to the n−f−1 nearest), ascending rank.</summary>
    private static int[] KrumWinners(float[][] vectors, int f, int take)
    {
        var n = vectors.Length;
        var scores = Enumerable.Range(0, n)
            .Select(i => Enumerable.Range(0, n).Where(j => j != i).Select(j => Defences.SquaredDistance(vectors[i], vectors[j])).Order().Take(n - f - 1).Sum())
            .ToArray();
        return [.. Enumerable.Range(0, n).OrderBy(i => scores[i]).ThenBy(i => i).Take(take).Order()];
    }
}
