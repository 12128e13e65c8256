using System.Runtime.CompilerServices;

namespace OrleansRing.Data;

/// <summary>
/// CIFAR-shaped (3×32×32, 10 classes) data made from a seed, for runs and tests without the real
/// dataset. Each class is a smooth colour pattern; each image is its class pattern shifted by up to
/// eight pixels, possibly mirrored, with its own contrast, colour cast, a smooth distractor pattern and
/// pixel noise. A small CNN learns it well in a few hundred steps, a linear model less so, and no
/// model reaches 100%.
/// </summary>
/// <remarks>
/// Only integer and basic floating-point arithmetic is used (no libm calls), so a seed gives the same
/// bytes on every machine and runtime: silos that each generate the data agree on it bit for bit.
/// </remarks>
public static class SyntheticCifar10
{
    public const int ClassCount = 10;

    private const int Side = ImageDataset.Height;
    private const int Plane = Side * Side;

    // Shifts of up to MaxShift pixels are crops of a larger canvas, so patterns never wrap around.
    private const int MaxShift = 8;
    private const int Canvas = Side + (2 * MaxShift);

    // Class patterns: a weak coarse layer (layout, colour) and a strong finer one (texture). Texture under
    // shifts is what convolutions handle and a linear model does not, so the CNN has something to win.
    private const int CoarseCells = 2;
    private const int FineCells = 9;
    private const double FineAmplitude = 2.0;

    // Per-image nuisance, tuned (seed 1, 5000 train) so that nearest-class-mean gets about 45% of the test
    // set, softmax regression about 65% after 600 SGD steps, and a 3-conv CNN about 75% after 300 steps
    // at batch 64 (lr 0.02, momentum 0.9): learnable, not trivial.
    private const double MinContrast = 0.5;
    private const double MaxContrast = 1.3;
    private const double ColourCast = 0.7;
    private const int DistractorCells = 3;
    private const double DistractorAmplitude = 1.8;
    private const double NoiseAmplitude = 1.0;

    // Byte = 128 + PixelScale × value, clamped; values mostly lie within ±4, and about 0.2% of pixels clip.
    private const double PixelScale = 32.0;

    private const ulong PrototypeStream = 1;
    private const ulong TrainStream = 2;
    private const ulong TestStream = 3;
    private const ulong TrainLabelStream = 4;
    private const ulong TestLabelStream = 5;

    /// <summary>Makes <paramref name="trainCount"/> training and <paramref name="testCount"/> test images from <paramref name="seed"/>.</summary>
    /// <remarks>Classes are balanced (counts differ by at most one) and come in a seeded random order.</remarks>
    public static DatasetSplit Create(int trainCount, int testCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(testCount, 1);
        var prototypes = CreatePrototypes(seed);
        var train = Generate($"synthetic train (seed {seed})", trainCount, seed, TrainStream, TrainLabelStream, prototypes);
        var test = Generate($"synthetic test (seed {seed})", testCount, seed, TestStream, TestLabelStream, prototypes);
        return new DatasetSplit(train, test, $"synthetic CIFAR-shaped data (seed {seed}): {trainCount} train, {testCount} test", IsSynthetic: true);
    }

    /// <summary>Per class and channel, a <see cref="Canvas"/>² pattern with values of order ±3.</summary>
    private static double[][] CreatePrototypes(int seed)
    {
        var random = SplitMix64.For(seed, PrototypeStream, 0);
        var prototypes = new double[ClassCount * ImageDataset.Channels][];
        var fine = new double[Canvas * Canvas];
        for (var i = 0; i < prototypes.Length; i++)
        {
            var pattern = new double[Canvas * Canvas];
            SmoothField(ref random, CoarseCells, Canvas, pattern);
            SmoothField(ref random, FineCells, Canvas, fine);
            for (var p = 0; p < pattern.Length; p++)
            {
                pattern[p] += FineAmplitude * fine[p];
            }
            prototypes[i] = pattern;
        }
        return prototypes;
    }

    private static ImageDataset Generate(string name, int count, int seed, ulong stream, ulong labelStream, double[][] prototypes)
    {
        var labels = BalancedLabels(count, seed, labelStream);
        var pixels = new byte[checked(count * ImageDataset.PixelsPerImage)];
        // Each image has its own generator, so the parallel loop gives the same bytes as a sequential one.
        // The default scheduler, explicitly: called from a grain, TaskScheduler.Current is the activation's
        // single-threaded scheduler, which would serialise (or stall) the loop's workers.
        Parallel.For(
            0,
            count,
            new ParallelOptions { TaskScheduler = TaskScheduler.Default },
            () => new double[Plane],
            (index, _, distractor) =>
            {
                var random = SplitMix64.For(seed, stream, index);
                RenderImage(ref random, labels[index], prototypes, distractor, pixels.AsSpan(index * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage));
                return distractor;
            },
            _ => { });
        return new ImageDataset(name, pixels, labels, ClassCount);
    }

    // Per-pixel loops skip tier-0 JIT: a dataset is generated once, mostly before tiering would kick in.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RenderImage(ref SplitMix64 random, int label, double[][] prototypes, double[] distractor, Span<byte> image)
    {
        var dx = random.NextInt((2 * MaxShift) + 1);
        var dy = random.NextInt((2 * MaxShift) + 1);
        var mirror = random.NextInt(2) == 1;
        var contrast = MinContrast + ((MaxContrast - MinContrast) * random.NextDouble());
        for (var c = 0; c < ImageDataset.Channels; c++)
        {
            var pattern = prototypes[(label * ImageDataset.Channels) + c];
            var cast = ColourCast * random.NextSigned();
            SmoothField(ref random, DistractorCells, Side, distractor);
            var plane = image.Slice(c * Plane, Plane);
            for (var y = 0; y < Side; y++)
            {
                var row = (y + dy) * Canvas;
                for (var x = 0; x < Side; x++)
                {
                    var sx = (mirror ? Side - 1 - x : x) + dx;
                    var noise = NoiseAmplitude * random.NextTriangular();
                    var value = (contrast * pattern[row + sx]) + cast + (DistractorAmplitude * distractor[(y * Side) + x]) + noise;
                    plane[(y * Side) + x] = Quantise(value);
                }
            }
        }
    }

    /// <summary>Rounds 128 + PixelScale × value to the nearest byte (halves up), clamping to 0-255.</summary>
    private static byte Quantise(double value)
    {
        var level = Math.Clamp(128.5 + (PixelScale * value), 0.0, 255.5);
        return (byte)(int)level;
    }

    /// <summary>
    /// Fills a size² field by smoothstep interpolation of a (cells+1)² grid of uniform values in [-1, 1]:
    /// a smooth, band-limited random pattern using only arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmoothField(ref SplitMix64 random, int cells, int size, Span<double> field)
    {
        var nodes = cells + 1;
        Span<double> grid = stackalloc double[nodes * nodes];
        for (var i = 0; i < grid.Length; i++)
        {
            grid[i] = random.NextSigned();
        }
        // Cell and weight along one axis; the same for rows and columns, so computed once.
        Span<int> cell = stackalloc int[size];
        Span<double> weight = stackalloc double[size];
        var step = (double)cells / (size - 1);
        for (var i = 0; i < size; i++)
        {
            cell[i] = Math.Min((int)(i * step), cells - 1);
            weight[i] = Smoothstep((i * step) - cell[i]);
        }
        for (var y = 0; y < size; y++)
        {
            var upper = grid.Slice(cell[y] * nodes, nodes);
            var lower = grid.Slice((cell[y] + 1) * nodes, nodes);
            var ty = weight[y];
            var row = field.Slice(y * size, size);
            for (var x = 0; x < size; x++)
            {
                var gx = cell[x];
                var tx = weight[x];
                var top = upper[gx] + (tx * (upper[gx + 1] - upper[gx]));
                var bottom = lower[gx] + (tx * (lower[gx + 1] - lower[gx]));
                row[x] = top + (ty * (bottom - top));
            }
        }
    }

    private static double Smoothstep(double t) => t * t * (3.0 - (2.0 * t));

    private static byte[] BalancedLabels(int count, int seed, ulong stream)
    {
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % ClassCount);
        }
        var random = SplitMix64.For(seed, stream, 0);
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        return labels;
    }
}
