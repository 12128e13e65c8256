using System.Numerics;
using System.Runtime.InteropServices;

namespace OrleansRing.Collectives;

/// <summary>
/// Element-wise operations of the ring. Vectorised and exactly IEEE-754 per element, so the result
/// never depends on SIMD width: ring arithmetic stays deterministic across machines.
/// </summary>
public static class ChunkArithmetic
{
    /// <summary><paramref name="accumulator"/>[i] += <paramref name="addend"/>[i].</summary>
    public static void Add(Span<float> accumulator, ReadOnlySpan<float> addend)
    {
        if (accumulator.Length != addend.Length)
        {
            throw new ArgumentException($"Cannot add a chunk of {addend.Length} values to one of {accumulator.Length}.", nameof(addend));
        }
        var i = 0;
        if (Vector.IsHardwareAccelerated && accumulator.Length >= Vector<float>.Count)
        {
            var acc = MemoryMarshal.Cast<float, Vector<float>>(accumulator);
            var add = MemoryMarshal.Cast<float, Vector<float>>(addend);
            for (var v = 0; v < acc.Length; v++)
            {
                acc[v] += add[v];
            }
            i = acc.Length * Vector<float>.Count;
        }
        for (; i < accumulator.Length; i++)
        {
            accumulator[i] += addend[i];
        }
    }

    /// <summary><paramref name="values"/>[i] /= <paramref name="divisor"/>: the sum becomes the mean.</summary>
    public static void Divide(Span<float> values, float divisor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var d = new Vector<float>(divisor);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] /= d;
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            values[i] /= divisor;
        }
    }
}
