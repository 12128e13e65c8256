using System.Security.Cryptography;

namespace OrleansRing.Storage;

/// <summary>The SHA-256 every store records next to a payload and checks on every read.</summary>
internal static class ChunkHash
{
    public const int Size = SHA256.HashSizeInBytes;

    public static byte[] Compute(ReadOnlySpan<byte> payload) => SHA256.HashData(payload);

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    public static bool TryParseHex(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }
        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Null when <paramref name="payload"/> hashes to <paramref name="expected"/>; otherwise the reason for a <see cref="ChunkIntegrityException"/>.</summary>
    public static string? Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[Size];
        SHA256.HashData(payload, actual);
        return actual.SequenceEqual(expected)
            ? null
            : $"the {payload.Length}-byte payload hashes to SHA-256 {ToHex(actual)} but {ToHex(expected)} was recorded when it was written";
    }
}
