namespace OrleansRing.Data.Tests;

public sealed class SyntheticCifar10Tests
{
    // sha256 of labels then pixels for Create(20, 10, seed: 7); the same in Debug and Release builds.
    private const string PinnedTrainHash = "4f6121b3a4a0d5f07f16489fd3c89ef56e389a47053bf67adce381e4f7a08353";
    private const string PinnedTestHash = "b41d255e5ff74828ad71f4be348ed413f2f348cde1edac46b09fab796cc5af59";

    [Fact]
    public void Create_SameSeed_GivesBitwiseIdenticalData()
    {
        // Act
        var first = SyntheticCifar10.Create(200, 50, seed: 42);
        var second = SyntheticCifar10.Create(200, 50, seed: 42);

        // Assert
        Assert.True(first.Train.Pixels.SequenceEqual(second.Train.Pixels));
        Assert.True(first.Train.Labels.SequenceEqual(second.Train.Labels));
        Assert.True(first.Test.Pixels.SequenceEqual(second.Test.Pixels));
        Assert.True(first.Test.Labels.SequenceEqual(second.Test.Labels));
    }

    [Fact]
    public void Create_DifferentSeed_GivesDifferentData()
    {
        // Act
        var first = SyntheticCifar10.Create(200, 50, seed: 1);
        var second = SyntheticCifar10.Create(200, 50, seed: 2);

        // Assert
        Assert.False(first.Train.Pixels.SequenceEqual(second.Train.Pixels));
        Assert.False(first.Test.Pixels.SequenceEqual(second.Test.Pixels));
        Assert.False(first.Train.Labels.SequenceEqual(second.Train.Labels));
    }

    [Fact]
    public void Create_KnownSeed_GivesPinnedBytes()
    {
        // A change to the generator changes every experiment that used it; this makes such a change deliberate.

        // Act
        var split = SyntheticCifar10.Create(20, 10, seed: 7);

        // Assert
        Assert.Equal(PinnedTrainHash, Hash(split.Train));
        Assert.Equal(PinnedTestHash, Hash(split.Test));
    }

    [Fact]
    public void Create_Labels_AreBalancedAndShuffled()
    {
        // Act
        var split = SyntheticCifar10.Create(203, 50, seed: 3);

        // Assert
        var train = DataPartitioner.ClassCounts(split.Train.Labels, 10, [.. Enumerable.Range(0, split.Train.Count)]);
        var test = DataPartitioner.ClassCounts(split.Test.Labels, 10, [.. Enumerable.Range(0, split.Test.Count)]);
        Assert.All(train, count => Assert.InRange(count, 20, 21));
        Assert.All(test, count => Assert.Equal(5, count));
        Assert.False(split.Train.Labels[..20].SequenceEqual(Enumerable.Range(0, 20).Select(i => (byte)(i % 10)).ToArray()));
    }

    [Fact]
    public void Create_Split_DescribesItselfAsSynthetic()
    {
        // Act
        var split = SyntheticCifar10.Create(30, 20, seed: 5);

        // Assert
        Assert.True(split.IsSynthetic);
        Assert.Equal("synthetic CIFAR-shaped data (seed 5): 30 train, 20 test", split.Description);
        Assert.Equal(30, split.Train.Count);
        Assert.Equal(20, split.Test.Count);
        Assert.Equal(10, split.Train.ClassCount);
    }

    [Fact]
    public void Create_Pixels_UseTheByteRangeWithoutSaturating()
    {
        // Act
        var train = SyntheticCifar10.Create(300, 10, seed: 6).Train;
        var stats = ChannelStatistics.Compute(train);

        // Assert
        var clipped = 0;
        foreach (var b in train.Pixels)
        {
            clipped += b is 0 or 255 ? 1 : 0;
        }
        Assert.InRange(clipped / (double)train.Pixels.Length, 0, 0.01);
        Assert.All(stats.Std, std => Assert.InRange(std, 0.1f, 0.3f));
        Assert.All(stats.Mean, mean => Assert.InRange(mean, 0.35f, 0.65f));
    }

    [Fact]
    public void Create_NearestClassMean_IsWellAboveChanceButNotPerfect()
    {
        // Arrange: a generator whose labels did not follow the images would give ~10%; one without
        // nuisance (shift, mirror, distractor, noise) would give ~100%.
        var split = SyntheticCifar10.Create(1000, 300, seed: 11);
        var stats = ChannelStatistics.Compute(split.Train);
        const int pixels = ImageDataset.PixelsPerImage;
        var means = new double[10 * pixels];
        var counts = new int[10];
        var image = new float[pixels];
        for (var i = 0; i < split.Train.Count; i++)
        {
            var label = split.Train.Labels[i];
            stats.Normalize(split.Train.Image(i), image);
            counts[label]++;
            for (var p = 0; p < pixels; p++)
            {
                means[(label * pixels) + p] += image[p];
            }
        }
        for (var k = 0; k < 10; k++)
        {
            for (var p = 0; p < pixels; p++)
            {
                means[(k * pixels) + p] /= counts[k];
            }
        }

        // Act
        var correct = 0;
        for (var i = 0; i < split.Test.Count; i++)
        {
            stats.Normalize(split.Test.Image(i), image);
            var best = -1;
            var bestDistance = double.MaxValue;
            for (var k = 0; k < 10; k++)
            {
                var distance = 0.0;
                for (var p = 0; p < pixels; p++)
                {
                    var d = image[p] - means[(k * pixels) + p];
                    distance += d * d;
                }
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (k, distance);
                }
            }
            correct += best == split.Test.Labels[i] ? 1 : 0;
        }

        // Assert
        var accuracy = correct / (double)split.Test.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"nearest-class-mean test accuracy {accuracy:P1}");
        Assert.InRange(accuracy, 0.25, 0.8);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    public void Create_NonPositiveCount_Throws(int train, int test)
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => SyntheticCifar10.Create(train, test, seed: 1));
    }

    private static string Hash(ImageDataset dataset) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. dataset.Labels, .. dataset.Pixels]));
}
