namespace OrleansRing.Data.Tests;

public sealed class ImageDatasetTests
{
    [Fact]
    public void CopyLabels_Indices_WritesTheirLabelsAsInt64()
    {
        // Arrange
        var dataset = new ImageDataset("three", new byte[3 * ImageDataset.PixelsPerImage], [4, 9, 0]);
        var destination = new long[4];

        // Act
        dataset.CopyLabels([2, 1, 1, 0], destination);

        // Assert
        Assert.Equal([0L, 9L, 9L, 4L], destination);
    }

    [Fact]
    public void CopyLabels_ShortDestination_Throws()
    {
        var dataset = new ImageDataset("one", new byte[ImageDataset.PixelsPerImage], [1]);
        Assert.Throws<ArgumentException>(() => dataset.CopyLabels([0, 0], new long[1]));
    }
}
