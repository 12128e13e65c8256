using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>SHA-256 of a chunk's float32 bytes, bound to (iteration, chunk) so a chunk of another iteration or place does not match.</summary>
internal static class ChunkHash
{
    public const int Length = 32;

    public static byte[] Of(long iteration, int chunk, ReadOnlySpan<float> values)
    {
        var result = new byte[Length];
        Write(iteration, chunk, values, result);
        return result;
    }

    public static void Write(long iteration, int chunk, ReadOnlySpan<float> values, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[sizeof(long) + sizeof(int)];
        BitConverter.TryWriteBytes(header, iteration);
        BitConverter.TryWriteBytes(header[sizeof(long)..], chunk);
        hash.AppendData(header);
        hash.AppendData(MemoryMarshal.AsBytes(values));
        hash.GetHashAndReset(destination);
    }
}
