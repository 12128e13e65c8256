namespace OrleansRing.Data.Tests;

public sealed class ChannelStatisticsTests
{
    private const int Plane = ImageDataset.Height * ImageDataset.Width;

    [Fact]
    public void Compute_KnownPlanes_GivesExactMeanAndStd()
    {
        // Arrange: red all 0 in one image and 255 in the other (mean 0.5, std 0.5); green 51 everywhere
        // (std 0, clamped to 1/255); blue half 0 and half 102 in each image (mean 0.2, std 0.2).
        var pixels = new byte[2 * ImageDataset.PixelsPerImage];
        for (var i = 0; i < 2; i++)
        {
            var image = pixels.AsSpan(i * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage);
            image[..Plane].Fill(i == 0 ? (byte)0 : (byte)255);
            image.Slice(Plane, Plane).Fill(51);
            image.Slice(2 * Plane, Plane / 2).Fill(0);
            image.Slice((2 * Plane) + (Plane / 2), Plane / 2).Fill(102);
        }
        var dataset = new ImageDataset("known", pixels, [0, 1]);

        // Act
        var stats = ChannelStatistics.Compute(dataset);

        // Assert
        Assert.Equal([0.5f, 0.2f, 0.2f], stats.Mean, new FloatTolerance(1e-6f));
        Assert.Equal([0.5f, 1f / 255, 0.2f], stats.Std, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Normalize_TrainingSet_HasZeroMeanAndUnitStdPerChannel()
    {
        // Arrange
        var train = SyntheticCifar10.Create(300, 10, seed: 2).Train;
        var stats = ChannelStatistics.Compute(train);
        var all = new float[train.Count * ImageDataset.PixelsPerImage];

        // Act
        stats.NormalizeBatch(train, [.. Enumerable.Range(0, train.Count)], all);

        // Assert
        for (var c = 0; c < ImageDataset.Channels; c++)
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < train.Count; i++)
            {
                foreach (var v in all.AsSpan((i * ImageDataset.PixelsPerImage) + (c * Plane), Plane))
                {
                    sum += v;
                    squares += (double)v * v;
                }
            }
            var n = (double)train.Count * Plane;
            var mean = sum / n;
            Assert.InRange(mean, -1e-4, 1e-4);
            Assert.InRange(Math.Sqrt((squares / n) - (mean * mean)), 1 - 1e-4, 1 + 1e-4);
        }
    }

    [Fact]
    public void Normalize_EveryByteValue_MatchesTheScalarFormulaBitForBit()
    {
        // Arrange: each plane cycles through all 256 values, so the vector path and its tail see them all.
        var stats = new ChannelStatistics([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);
        var image = new byte[ImageDataset.PixelsPerImage];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (byte)(i * 7);
        }
        var destination = new float[ImageDataset.PixelsPerImage];

        // Act
        stats.Normalize(image, destination);

        // Assert
        for (var i = 0; i < image.Length; i++)
        {
            var c = i / Plane;
            var scale = (float)(1.0 / (255.0 * stats.Std[c]));
            var offset = (float)(-(double)stats.Mean[c] / stats.Std[c]);
            Assert.Equal(BitConverter.SingleToInt32Bits((image[i] * scale) + offset), BitConverter.SingleToInt32Bits(destination[i]));
            Assert.Equal((image[i] / 255.0 - stats.Mean[c]) / stats.Std[c], destination[i], 1e-5);
        }
    }

    [Fact]
    public void Normalize_SameInputTwice_GivesSameFloats()
    {
        // Arrange
        var train = SyntheticCifar10.Create(20, 10, seed: 3).Train;
        var stats = ChannelStatistics.Compute(train);
        var first = new float[ImageDataset.PixelsPerImage];
        var second = new float[ImageDataset.PixelsPerImage];

        // Act
        stats.Normalize(train.Image(5), first);
        stats.Normalize(train.Image(5), second);

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void NormalizeBatch_Indices_MatchesImageByImage()
    {
        // Arrange
        var train = SyntheticCifar10.Create(20, 10, seed: 4).Train;
        var stats = ChannelStatistics.Compute(train);
        int[] indices = [7, 0, 7, 19];
        var batch = new float[indices.Length * ImageDataset.PixelsPerImage];
        var single = new float[ImageDataset.PixelsPerImage];

        // Act
        stats.NormalizeBatch(train, indices, batch);

        // Assert
        for (var i = 0; i < indices.Length; i++)
        {
            stats.Normalize(train.Image(indices[i]), single);
            Assert.Equal(single, batch.AsSpan(i * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage).ToArray());
        }
    }

    [Fact]
    public void NormalizeBatch_Warm_AllocatesNothing()
    {
        // Arrange
        var train = SyntheticCifar10.Create(64, 10, seed: 5).Train;
        var stats = ChannelStatistics.Compute(train);
        var indices = Enumerable.Range(0, 64).ToArray();
        var batch = new float[64 * ImageDataset.PixelsPerImage];
        stats.NormalizeBatch(train, indices, batch);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            stats.NormalizeBatch(train, indices, batch);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Normalize_WrongSizes_Throw()
    {
        // Arrange
        var stats = new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
        var train = SyntheticCifar10.Create(2, 1, seed: 1).Train;

        // Act and assert
        Assert.Throws<ArgumentException>(() => stats.Normalize(new byte[10], new float[ImageDataset.PixelsPerImage]));
        Assert.Throws<ArgumentException>(() => stats.Normalize(new byte[ImageDataset.PixelsPerImage], new float[10]));
        Assert.Throws<ArgumentException>(() => stats.NormalizeBatch(train, [0, 1], new float[ImageDataset.PixelsPerImage]));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.NormalizeBatch(train, [2], new float[ImageDataset.PixelsPerImage]));
    }

    [Fact]
    public void Constructor_BadValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ChannelStatistics([0.5f], [0.25f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.25f, 0f, 0.25f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelStatistics([0.5f, float.NaN, 0.5f], [0.25f, 0.25f, 0.25f]));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
