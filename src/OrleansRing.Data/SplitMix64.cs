namespace OrleansRing.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator whose output depends only on integer
/// arithmetic, so generated data is bit-identical on every platform and runtime. Seeding one per image
/// from (seed, stream, index) makes generation order-free and therefore safe to parallelise.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public static SplitMix64 For(int seed, ulong stream, long index) =>
        new(Mix(Mix(unchecked((ulong)seed) ^ (stream * 0x9E3779B97F4A7C15UL)) ^ unchecked((ulong)index)));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [-1, 1).</summary>
    public double NextSigned() => (2.0 * NextDouble()) - 1.0;

    /// <summary>
    /// Sum of two independent uniforms on [-0.5, 0.5) from one draw's two halves: triangular on (-1, 1),
    /// a cheap bell-shaped noise that needs no libm.
    /// </summary>
    public double NextTriangular()
    {
        var bits = NextUInt64();
        return (((bits >> 32) + (bits & 0xFFFFFFFFUL)) * (1.0 / (1UL << 32))) - 1.0;
    }

    /// <summary>Uniform in [0, exclusiveMax); the modulo bias is below 2^-32 for the small ranges used here.</summary>
    public int NextInt(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
