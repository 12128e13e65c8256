using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace OrleansRing.Data;

/// <summary>
/// Per-channel mean and standard deviation of pixel values in [0, 1] units, and the normalisation
/// (pixel / 255 − mean) / std that turns a byte image into the floats a model reads.
/// </summary>
/// <remarks>
/// Normalisation computes pixel × scale + offset with scale = 1 / (255 std) and offset = −mean / std,
/// as one multiply and one add (never fused) in both the vector and the scalar path, so the same bytes
/// give the same floats whatever the hardware's vector width.
/// </remarks>
public sealed class ChannelStatistics
{
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float[] _scale;
    private readonly float[] _offset;

    /// <param name="mean">One mean per channel, in [0, 1].</param>
    /// <param name="std">One standard deviation per channel, positive.</param>
    public ChannelStatistics(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != ImageDataset.Channels || std.Count != ImageDataset.Channels)
        {
            throw new ArgumentException($"Need {ImageDataset.Channels} means and {ImageDataset.Channels} standard deviations, got {mean.Count} and {std.Count}.");
        }
        _mean = new float[ImageDataset.Channels];
        _std = new float[ImageDataset.Channels];
        _scale = new float[ImageDataset.Channels];
        _offset = new float[ImageDataset.Channels];
        for (var c = 0; c < ImageDataset.Channels; c++)
        {
            if (!float.IsFinite(mean[c]) || !(std[c] > 0) || !float.IsFinite(std[c]))
            {
                throw new ArgumentOutOfRangeException(nameof(std), $"Channel {c}: mean {mean[c]} and std {std[c]} must be finite, std positive.");
            }
            _mean[c] = mean[c];
            _std[c] = std[c];
            _scale[c] = (float)(1.0 / (255.0 * std[c]));
            _offset[c] = (float)(-(double)mean[c] / std[c]);
        }
    }

    public IReadOnlyList<float> Mean => _mean;

    public IReadOnlyList<float> Std => _std;

    /// <summary>Population mean and standard deviation per channel over every pixel of <paramref name="dataset"/>.</summary>
    /// <remarks>Sums are exact integers, so the result does not depend on summation order.</remarks>
    public static ChannelStatistics Compute(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException($"{dataset.Name} has no images to compute statistics from.", nameof(dataset));
        }
        const int plane = ImageDataset.Height * ImageDataset.Width;
        Span<long> sums = stackalloc long[ImageDataset.Channels];
        Span<long> squares = stackalloc long[ImageDataset.Channels];
        for (var i = 0; i < dataset.Count; i++)
        {
            var image = dataset.Image(i);
            for (var c = 0; c < ImageDataset.Channels; c++)
            {
                var (sum, square) = SumAndSquares(image.Slice(c * plane, plane));
                sums[c] += sum;
                squares[c] += square;
            }
        }

        var n = (long)dataset.Count * plane;
        var mean = new float[ImageDataset.Channels];
        var std = new float[ImageDataset.Channels];
        for (var c = 0; c < ImageDataset.Channels; c++)
        {
            Int128 sum = sums[c];
            // n² var = n Σx² − (Σx)², exact in integers; only the final division rounds.
            var scaledVariance = (double)((n * (Int128)squares[c]) - (sum * sum));
            mean[c] = (float)((double)sum / n / 255.0);
            // A constant channel would divide by zero; std 1/255 then just recentres it.
            std[c] = (float)Math.Max(Math.Sqrt(scaledVariance) / n / 255.0, 1.0 / 255.0);
        }
        return new ChannelStatistics(mean, std);
    }

    /// <summary>Writes the <see cref="ImageDataset.PixelsPerImage"/> normalised floats of one planar image.</summary>
    public void Normalize(ReadOnlySpan<byte> image, Span<float> destination)
    {
        if (image.Length != ImageDataset.PixelsPerImage)
        {
            throw new ArgumentException($"An image has {ImageDataset.PixelsPerImage} bytes, got {image.Length}.", nameof(image));
        }
        if (destination.Length < ImageDataset.PixelsPerImage)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats, fewer than the {ImageDataset.PixelsPerImage} of an image.", nameof(destination));
        }
        const int plane = ImageDataset.Height * ImageDataset.Width;
        for (var c = 0; c < ImageDataset.Channels; c++)
        {
            NormalizePlane(image.Slice(c * plane, plane), destination.Slice(c * plane, plane), _scale[c], _offset[c]);
        }
    }

    /// <summary>
    /// Writes images <paramref name="indices"/> of <paramref name="dataset"/>, normalised, one after another
    /// as N×3×32×32 floats (NCHW) at the start of <paramref name="destination"/>.
    /// </summary>
    public void NormalizeBatch(ImageDataset dataset, ReadOnlySpan<int> indices, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (destination.Length < (long)indices.Length * ImageDataset.PixelsPerImage)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats, fewer than the {(long)indices.Length * ImageDataset.PixelsPerImage} of {indices.Length} images.", nameof(destination));
        }
        for (var i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {indices[i]} at position {i} is outside {dataset.Name}'s {dataset.Count} images.");
            }
            Normalize(dataset.Image(indices[i]), destination.Slice(i * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage));
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"mean ({_mean[0]:0.0000}, {_mean[1]:0.0000}, {_mean[2]:0.0000}), std ({_std[0]:0.0000}, {_std[1]:0.0000}, {_std[2]:0.0000})");

    /// <summary>Σx and Σx² of one plane's bytes, exactly (a plane's Σx² is below 2^27, so uint lanes cannot overflow).</summary>
    // Hot loops skip tier-0 JIT: Compute calls this once per plane of one pass, over before tiering would help.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Sum, long Squares) SumAndSquares(ReadOnlySpan<byte> plane)
    {
        long sum = 0, squares = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && plane.Length >= Vector<byte>.Count)
        {
            var sumLanes = Vector<uint>.Zero;
            var squareLanes = Vector<uint>.Zero;
            for (; i <= plane.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(plane[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                sumLanes += a + b + c + d;
                squareLanes += (a * a) + (b * b) + (c * c) + (d * d);
            }
            sum = Vector.Sum(sumLanes);
            squares = Vector.Sum(squareLanes);
        }
        for (; i < plane.Length; i++)
        {
            sum += plane[i];
            squares += plane[i] * plane[i];
        }
        return (sum, squares);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizePlane(ReadOnlySpan<byte> source, Span<float> destination, float scale, float offset)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var scales = new Vector<float>(scale);
            var offsets = new Vector<float>(offset);
            var floats = Vector<float>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                // byte → ushort → uint → float: four float vectors per byte vector.
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                ((Vector.ConvertToSingle(a) * scales) + offsets).CopyTo(destination[i..]);
                ((Vector.ConvertToSingle(b) * scales) + offsets).CopyTo(destination[(i + floats)..]);
                ((Vector.ConvertToSingle(c) * scales) + offsets).CopyTo(destination[(i + (2 * floats))..]);
                ((Vector.ConvertToSingle(d) * scales) + offsets).CopyTo(destination[(i + (3 * floats))..]);
            }
        }
        for (; i < source.Length; i++)
        {
            destination[i] = (source[i] * scale) + offset;
        }
    }
}
