namespace OrleansRing.Training;

/// <summary>SplitMix64: integer-only, so a shuffle is identical on every platform and runtime.</summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Seeds.Mix(_state);
    }

    /// <summary>Uniform in [0, exclusiveMax) by multiply-shift; the bias is below 2^-32 for int ranges.</summary>
    public int NextInt(int exclusiveMax) => (int)(((UInt128)NextUInt64() * (ulong)exclusiveMax) >> 64);
}
