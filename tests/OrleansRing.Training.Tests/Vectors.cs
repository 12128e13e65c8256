namespace OrleansRing.Training.Tests;

internal static class Vectors
{
    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return max;
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double difference = 0;
        double norm = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            difference += d * d;
            norm += (double)b[i] * b[i];
        }
        return Math.Sqrt(difference) / Math.Sqrt(norm);
    }

    public static double MaxAbs(ReadOnlySpan<float> a)
    {
        double max = 0;
        foreach (var v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }
        return max;
    }
}
