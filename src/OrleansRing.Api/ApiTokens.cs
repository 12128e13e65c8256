using System.Security.Cryptography;
using System.Text;

namespace OrleansRing.Api;

/// <summary>
/// The accepted bearer tokens, kept only as SHA-256 hashes. A presented token is hashed and compared with every
/// accepted hash in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), without stopping at a
/// match, so neither the position of the first wrong character nor which token matched shows in the timing.
/// </summary>
public sealed class ApiTokens
{
    private readonly byte[][] _hashes;

    public ApiTokens(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _hashes = [.. tokens.Select(Hash)];
        if (_hashes.Length == 0)
        {
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        }
    }

    public int Count => _hashes.Length;

    public bool Accepts(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        var hash = Hash(presented);
        var accepted = false;
        foreach (var candidate in _hashes)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        }
        return accepted;
    }

    /// <summary>The token of an "Authorization: Bearer TOKEN" header, or null.</summary>
    public static string? FromAuthorizationHeader(string? header)
    {
        const string scheme = "Bearer ";
        return header is not null && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
