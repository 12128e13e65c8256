namespace OrleansRing.Data.Tests;

public sealed class DataPartitionerTests
{
    [Theory]
    [InlineData(100, 1)]
    [InlineData(100, 7)]
    [InlineData(10, 10)]
    [InlineData(10001, 16)]
    public void Iid_AnySize_CoversEveryIndexOnceInNearEqualShares(int samples, int workers)
    {
        // Act
        var shares = DataPartitioner.Iid(samples, workers, seed: 1);

        // Assert
        Assert.Equal(workers, shares.Length);
        AssertCoversEachIndexOnce(shares, samples);
        Assert.InRange(shares.Max(s => s.Length) - shares.Min(s => s.Length), 0, 1);
        Assert.All(shares, s => Assert.Equal(s.Order(), s));
    }

    [Fact]
    public void Iid_Seed_FixesTheResult()
    {
        // Act
        var first = DataPartitioner.Iid(1000, 4, seed: 3);
        var again = DataPartitioner.Iid(1000, 4, seed: 3);
        var other = DataPartitioner.Iid(1000, 4, seed: 4);

        // Assert
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Shuffled, not dealt out in blocks.
        Assert.NotEqual(Enumerable.Range(0, 250), first[0]);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(10, -1)]
    [InlineData(3, 4)]
    public void Iid_BadWorkerCount_Throws(int samples, int workers)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataPartitioner.Iid(samples, workers, seed: 1));
        Assert.Equal("workers", error.ParamName);
    }

    [Theory]
    [InlineData(0.01, 50)]
    [InlineData(0.1, 8)]
    [InlineData(1.0, 4)]
    [InlineData(1000.0, 3)]
    public void Dirichlet_AnyAlpha_CoversEveryIndexOnceAndNoWorkerIsEmpty(double alpha, int workers)
    {
        // Arrange
        var labels = BalancedLabels(500, 10);

        // Act
        var shares = DataPartitioner.Dirichlet(labels, 10, workers, alpha, seed: 2);

        // Assert
        Assert.Equal(workers, shares.Length);
        AssertCoversEachIndexOnce(shares, labels.Length);
        Assert.All(shares, s => Assert.NotEmpty(s));
        Assert.All(shares, s => Assert.Equal(s.Order(), s));
    }

    [Fact]
    public void Dirichlet_AsManyWorkersAsSamples_GivesEachOne()
    {
        // Arrange
        var labels = BalancedLabels(12, 3);

        // Act
        var shares = DataPartitioner.Dirichlet(labels, 3, 12, alpha: 0.05, seed: 3);

        // Assert
        AssertCoversEachIndexOnce(shares, 12);
        Assert.All(shares, s => Assert.Single(s));
    }

    [Fact]
    public void Dirichlet_Seed_FixesTheResult()
    {
        // Arrange
        var labels = BalancedLabels(1000, 10);

        // Act
        var first = DataPartitioner.Dirichlet(labels, 10, 5, 0.5, seed: 4);
        var again = DataPartitioner.Dirichlet(labels, 10, 5, 0.5, seed: 4);
        var other = DataPartitioner.Dirichlet(labels, 10, 5, 0.5, seed: 5);

        // Assert
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Dirichlet_SmallAlpha_IsMoreSkewedThanLargeAlpha()
    {
        // Arrange: skew = mean over workers of the total-variation distance between the worker's
        // label mix and the global (uniform) one; 0 for IID, up to 0.9 for one class per worker.
        var labels = BalancedLabels(5000, 10);

        // Act
        var small = Skew(labels, DataPartitioner.Dirichlet(labels, 10, 8, 0.1, seed: 6));
        var large = Skew(labels, DataPartitioner.Dirichlet(labels, 10, 8, 100, seed: 6));
        var iid = Skew(labels, DataPartitioner.Iid(labels.Length, 8, seed: 6));

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine($"skew: alpha 0.1 {small:F3}, alpha 100 {large:F3}, iid {iid:F3}");
        Assert.InRange(small, 0.5, 0.9);
        Assert.InRange(large, 0, 0.1);
        Assert.InRange(iid, 0, 0.1);
    }

    [Fact]
    public void Dirichlet_ManyDraws_GiveEachWorkerAnEqualShareOnAverage()
    {
        // Arrange: by symmetry each worker's expected share of a class is 1/workers, whatever alpha.
        var labels = BalancedLabels(2000, 10);
        var totals = new double[4];

        // Act
        for (var seed = 0; seed < 20; seed++)
        {
            var shares = DataPartitioner.Dirichlet(labels, 10, 4, 0.5, seed);
            for (var w = 0; w < 4; w++)
            {
                totals[w] += shares[w].Length / (double)labels.Length / 20;
            }
        }

        // Assert: each mean of 200 proportions (sd ≈ 0.25 each) lies near 0.25.
        Assert.All(totals, t => Assert.InRange(t, 0.18, 0.32));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Dirichlet_BadAlpha_Throws(double alpha)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataPartitioner.Dirichlet(BalancedLabels(10, 2), 2, 2, alpha, seed: 1));
        Assert.Equal("alpha", error.ParamName);
        Assert.Contains("positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dirichlet_LabelOutsideClassCount_NamesTheSample()
    {
        var error = Assert.Throws<ArgumentException>(() => DataPartitioner.Dirichlet([0, 1, 5, 1], 3, 2, 1.0, seed: 1));
        Assert.Contains("Sample 2 has label 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dirichlet_MoreWorkersThanSamples_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataPartitioner.Dirichlet([0, 1, 1], 2, 4, 1.0, seed: 1));
        Assert.Equal("workers", error.ParamName);
    }

    [Fact]
    public void Partition_Spec_DispatchesOnKind()
    {
        // Arrange
        var train = SyntheticCifar10.Create(100, 10, seed: 1).Train;

        // Act
        var iid = DataPartitioner.Partition(PartitionSpec.Iid, train, 3, seed: 2);
        var dirichlet = DataPartitioner.Partition(PartitionSpec.Dirichlet(0.3), train, 3, seed: 2);

        // Assert
        Assert.Equal(DataPartitioner.Iid(100, 3, seed: 2), iid);
        Assert.Equal(DataPartitioner.Dirichlet(train.Labels, 10, 3, 0.3, seed: 2), dirichlet);
    }

    private static byte[] BalancedLabels(int count, int classes) =>
        [.. Enumerable.Range(0, count).Select(i => (byte)(i % classes))];

    private static void AssertCoversEachIndexOnce(int[][] shares, int samples)
    {
        var all = shares.SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, samples), all);
    }

    private static double Skew(byte[] labels, int[][] shares)
    {
        var total = 0.0;
        foreach (var share in shares)
        {
            var counts = DataPartitioner.ClassCounts(labels, 10, share);
            total += counts.Sum(c => Math.Abs((c / (double)share.Length) - 0.1)) / 2;
        }
        return total / shares.Length;
    }
}
