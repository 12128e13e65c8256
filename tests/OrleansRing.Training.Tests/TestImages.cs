using OrleansRing.Data;

namespace OrleansRing.Training.Tests;

/// <summary>Small CIFAR-shaped datasets that a CNN can learn quickly: each class has its own colour and stripes.</summary>
internal static class TestImages
{
    public static ImageDataset Create(int count, int seed, string name = "test images")
    {
        var random = new Random(seed);
        var pixels = new byte[count * ImageDataset.PixelsPerImage];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var label = random.Next(10);
            labels[i] = (byte)label;
            var image = pixels.AsSpan(i * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage);
            for (var c = 0; c < ImageDataset.Channels; c++)
            {
                var colour = 40 + (17 * ((label * (c + 3)) % 10));
                for (var y = 0; y < ImageDataset.Height; y++)
                {
                    for (var x = 0; x < ImageDataset.Width; x++)
                    {
                        var stripe = ((x + (y * (label % 3))) / (2 + (label % 4))) % 2 == 0 ? 45 : 0;
                        var value = colour + stripe + random.Next(-30, 31);
                        image[(c * 1024) + (y * 32) + x] = (byte)Math.Clamp(value, 0, 255);
                    }
                }
            }
        }
        return new ImageDataset(name, pixels, labels);
    }

    /// <summary>The same pixels with every label replaced by 9 − label.</summary>
    public static ImageDataset WithFlippedLabels(ImageDataset source)
    {
        var labels = source.Labels.ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)(9 - labels[i]);
        }
        return new ImageDataset(source.Name + " flipped", source.Pixels.ToArray(), labels);
    }

    public static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];
}
