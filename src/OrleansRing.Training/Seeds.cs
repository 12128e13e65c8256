namespace OrleansRing.Training;

/// <summary>
/// Derives independent 64-bit seeds from (run seed, purpose, index) with SplitMix64 finalisers, so
/// weights, dropout masks and shuffles never share a random stream and depend on integers only.
/// </summary>
internal static class Seeds
{
    public const ulong WeightStream = 1;
    public const ulong DropoutStream = 2;
    public const ulong ShuffleStream = 3;

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Derive(int seed, ulong stream, long index) =>
        Mix(Mix(Mix(unchecked((ulong)seed)) ^ (stream * Golden)) ^ unchecked((ulong)index));

    public static ulong Derive(int seed, ulong stream, long first, long second) =>
        Mix(Derive(seed, stream, first) ^ Mix(unchecked((ulong)second) + Golden));

    internal static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
