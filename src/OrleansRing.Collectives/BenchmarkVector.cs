namespace OrleansRing.Collectives;

/// <summary>
/// The values rank r all-reduces in `bench allreduce`: different per rank and index, and exactly reproducible, so tests can compare the grains' result with
/// <see cref="RingAllReduceSimulator"/> bit for bit.
/// </summary>
public static class BenchmarkVector
{
    public static void Fill(Span<float> values, int rank)
    {
        var state = unchecked((uint)(rank + 1) * 0x9E3779B9u) ^ 0x27D4EB2Fu;
        for (var i = 0; i < values.Length; i++)
        {
            // xorshift32: values in [-1, 1) with 2^-23 resolution.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            values[i] = ((state >> 8) * (1f / (1 << 23))) - 1f;
        }
    }
}
