namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Per-instance vectors for omniscient attacks, grown to the gradient length once and then reused.</summary>
internal sealed class HonestScratch
{
    private float[] _mean = [];
    private float[] _deviation = [];

    public Span<float> Mean(int length) => Take(ref _mean, length);

    public Span<float> Deviation(int length) => Take(ref _deviation, length);

    private static Span<float> Take(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer.AsSpan(0, length);
    }
}
