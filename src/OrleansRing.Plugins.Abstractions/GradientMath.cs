namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Coordinate statistics over the honest gradients that omniscient attacks (and later defences) need. Sums run in
/// double over blocks of a stack buffer, so they are precise and allocate nothing whatever the gradient length.
/// </summary>
public static class GradientMath
{
    private const int BlockLength = 512;

    /// <summary>destination[j] = mean over i of vectors[i][j].</summary>
    public static void Mean(IReadOnlyList<ReadOnlyMemory<float>> vectors, Span<float> destination)
    {
        var length = CheckShapes(vectors, destination.Length);
        Span<double> sums = stackalloc double[BlockLength];
        var count = vectors.Count;
        for (var start = 0; start < length; start += BlockLength)
        {
            var block = Math.Min(BlockLength, length - start);
            var acc = sums[..block];
            acc.Clear();
            for (var i = 0; i < count; i++)
            {
                var values = vectors[i].Span.Slice(start, block);
                for (var j = 0; j < block; j++)
                {
                    acc[j] += values[j];
                }
            }

            var target = destination.Slice(start, block);
            for (var j = 0; j < block; j++)
            {
                target[j] = (float)(acc[j] / count);
            }
        }
    }

    /// <summary>
    /// destination[j] = unbiased (n-1) standard deviation over i of vectors[i][j], around <paramref name="mean"/>;
    /// the same estimator as <c>torch.std</c>, which the reference implementations of ALIE use. Zero when n = 1.
    /// </summary>
    public static void StandardDeviation(IReadOnlyList<ReadOnlyMemory<float>> vectors, ReadOnlySpan<float> mean, Span<float> destination)
    {
        var length = CheckShapes(vectors, destination.Length);
        if (mean.Length != length)
        {
            throw new ArgumentException($"Mean has {mean.Length} values, vectors have {length}.", nameof(mean));
        }

        var count = vectors.Count;
        if (count == 1)
        {
            destination.Clear();
            return;
        }

        Span<double> sums = stackalloc double[BlockLength];
        for (var start = 0; start < length; start += BlockLength)
        {
            var block = Math.Min(BlockLength, length - start);
            var acc = sums[..block];
            acc.Clear();
            var center = mean.Slice(start, block);
            for (var i = 0; i < count; i++)
            {
                var values = vectors[i].Span.Slice(start, block);
                for (var j = 0; j < block; j++)
                {
                    var d = (double)values[j] - center[j];
                    acc[j] += d * d;
                }
            }

            var target = destination.Slice(start, block);
            for (var j = 0; j < block; j++)
            {
                target[j] = (float)Math.Sqrt(acc[j] / (count - 1));
            }
        }
    }

    /// <summary>‖a - b‖² in double.</summary>
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckSameLength(a, b);
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckSameLength(a, b);
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    public static double SquaredNorm(ReadOnlySpan<float> a) => Dot(a, a);

    private static int CheckShapes(IReadOnlyList<ReadOnlyMemory<float>> vectors, int length)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0)
        {
            throw new ArgumentException("At least one vector is needed.", nameof(vectors));
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length != length)
            {
                throw new ArgumentException($"Vector {i} has {vectors[i].Length} values; expected {length}.", nameof(vectors));
            }
        }

        return length;
    }

    private static void CheckSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors differ in length: {a.Length} and {b.Length}.");
        }
    }
}
