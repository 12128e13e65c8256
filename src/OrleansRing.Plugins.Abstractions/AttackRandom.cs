using System.Numerics;

namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// The deterministic random source of one attacker: xoshiro256** seeded through SplitMix64 from (seed, stream).
/// Our own generator rather than a seeded <see cref="Random"/> so that sequences are fixed by this code, not by the
/// runtime version; it still derives from <see cref="Random"/> so plugins can use the familiar API (Shuffle...).
/// Not thread-safe: one instance per attacker, used by its hooks one call at a time.
/// </summary>
public sealed class AttackRandom : Random
{
    // Distinct stream for attacker ranks, so ForAttacker never coincides with a caller's own (seed, stream) pair.
    private const ulong AttackerStreamBase = 0xA77AC4E500000000UL;

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    public AttackRandom(ulong seed, ulong stream = 0)
    {
        var mix = Mix64(seed) ^ Mix64(stream + 0x9E3779B97F4A7C15UL);
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the all-zero state is the generator's only fixed point
        }
    }

    /// <summary>The source for attacker <paramref name="rank"/> of an experiment: same inputs, same sequence, on any machine.</summary>
    public static AttackRandom ForAttacker(long experimentSeed, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return new AttackRandom(unchecked((ulong)experimentSeed), AttackerStreamBase + (ulong)rank);
    }

    /// <summary>An independent generator seeded from this one's next outputs (advances this one).</summary>
    public AttackRandom Split() => new(NextUInt64(), NextUInt64());

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A standard normal sample (Box-Muller; the second value of each pair is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }

        var u1 = 1.0 - NextDouble(); // (0, 1]: keeps Log finite
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareGaussian = radius * sin;
        _hasSpareGaussian = true;
        return radius * cos;
    }

    public double NextGaussian(double mean, double standardDeviation) => mean + (standardDeviation * NextGaussian());

    /// <summary>Fills <paramref name="destination"/> with N(mean, std²) samples, in order.</summary>
    public void FillGaussian(Span<float> destination, double mean = 0.0, double standardDeviation = 1.0)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(mean + (standardDeviation * NextGaussian()));
        }
    }

    public override int Next()
    {
        while (true)
        {
            var value = (int)(NextUInt64() >> 33);
            if (value != int.MaxValue)
            {
                return value;
            }
        }
    }

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)NextBounded((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)NextBounded((ulong)((long)maxValue - minValue)));
    }

    public override long NextInt64()
    {
        while (true)
        {
            var value = (long)(NextUInt64() >> 1);
            if (value != long.MaxValue)
            {
                return value;
            }
        }
    }

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (long)NextBounded((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return unchecked(minValue + (long)NextBounded((ulong)maxValue - (ulong)minValue));
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= sizeof(ulong))
        {
            BitConverter.TryWriteBytes(buffer, NextUInt64());
            buffer = buffer[sizeof(ulong)..];
        }

        if (!buffer.IsEmpty)
        {
            Span<byte> last = stackalloc byte[sizeof(ulong)];
            BitConverter.TryWriteBytes(last, NextUInt64());
            last[..buffer.Length].CopyTo(buffer);
        }
    }

    protected override double Sample() => NextDouble();

    // Lemire's nearly-divisionless bounded integer: unbiased, one multiply in the common case.
    private ulong NextBounded(ulong range)
    {
        if (range == 0)
        {
            return 0;
        }

        var high = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0 - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return high;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix64(state);
    }

    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
