namespace OrleansRing.Data;

/// <summary>
/// Labelled 32×32 RGB images in CIFAR-10's planar layout: per image 1024 red, 1024 green, then 1024
/// blue bytes, each plane row-major. Immutable once built, so one instance can be shared by every
/// worker of a silo.
/// </summary>
public sealed class ImageDataset
{
    public const int Channels = 3;
    public const int Height = 32;
    public const int Width = 32;
    public const int PixelsPerImage = Channels * Height * Width;

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    /// <param name="name">What the data is, e.g. "cifar-10 data_batch_1.bin" or "synthetic train (seed 1)".</param>
    /// <param name="pixels">Count × <see cref="PixelsPerImage"/> bytes; the dataset takes ownership.</param>
    /// <param name="labels">Count labels in [0, classCount); the dataset takes ownership.</param>
    /// <param name="classCount">Number of classes (10 for CIFAR-10).</param>
    public ImageDataset(string name, byte[] pixels, byte[] labels, int classCount = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (pixels.Length != labels.Length * (long)PixelsPerImage)
        {
            throw new ArgumentException($"{name}: {pixels.Length} pixel bytes do not hold {labels.Length} images of {PixelsPerImage} bytes.", nameof(pixels));
        }
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new ArgumentException($"{name}: image {i} has label {labels[i]}, outside [0, {classCount}).", nameof(labels));
            }
        }
        Name = name;
        ClassCount = classCount;
        _pixels = pixels;
        _labels = labels;
    }

    public string Name { get; }

    public int ClassCount { get; }

    public int Count => _labels.Length;

    /// <summary>All images, <see cref="PixelsPerImage"/> bytes each, in planar RGB order.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public ReadOnlySpan<byte> Labels => _labels;

    /// <summary>The <see cref="PixelsPerImage"/> bytes of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => _pixels.AsSpan(checked(index * PixelsPerImage), PixelsPerImage);

    /// <summary>
    /// Writes the labels of images <paramref name="indices"/> as int64, the type cross-entropy targets
    /// take, so a batch's targets need no intermediate array.
    /// </summary>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<long> destination)
    {
        if (destination.Length < indices.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} labels, fewer than the {indices.Length} indices.", nameof(destination));
        }
        for (var i = 0; i < indices.Length; i++)
        {
            destination[i] = _labels[indices[i]];
        }
    }
}
