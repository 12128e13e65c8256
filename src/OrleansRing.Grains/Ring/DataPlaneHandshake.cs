using System.Security.Cryptography;
using System.Text;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// Proves, once per data plane connection, that the connecting peer holds the cluster's data plane key: the listener
/// sends a magic, a version and a fresh 32-byte nonce; the peer answers with HMAC-SHA256(key, context ‖ nonce); the
/// listener compares in fixed time and answers one byte, accepted or refused, closing a refused connection before it
/// reads a single frame. Frames after it are not signed (a peer that can take over an established TCP connection is on
/// the silos' own network path). With no key configured both sides use the empty key: the exchange still runs, so
/// silos with and without a key refuse each other instead of misreading each other's bytes.
/// </summary>
internal static class DataPlaneHandshake
{
    private const int NonceBytes = 32;
    private const byte Accepted = 1;
    private const byte Refused = 0;
    private static readonly byte[] s_magic = "ORDP"u8.ToArray();
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("orleansring ring data plane v1");
    private const byte Version = 1;

    /// <summary>How long either side waits for the other's part: a peer that says nothing is not a silo of this cluster.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The listener's side; false (and the refusal sent) when the peer does not prove the key.</summary>
    public static async Task<bool> AcceptAsync(Stream stream, byte[] key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var challenge = new byte[s_magic.Length + 1 + NonceBytes];
        s_magic.CopyTo(challenge, 0);
        challenge[s_magic.Length] = Version;
        RandomNumberGenerator.Fill(challenge.AsSpan(s_magic.Length + 1));
        await stream.WriteAsync(challenge, timeout.Token).ConfigureAwait(false);
        var answer = new byte[HMACSHA256.HashSizeInBytes];
        await stream.ReadExactlyAsync(answer, timeout.Token).ConfigureAwait(false);
        var expected = Proof(key, challenge.AsSpan(s_magic.Length + 1));
        var accepted = CryptographicOperations.FixedTimeEquals(answer, expected);
        await stream.WriteAsync(new[] { accepted ? Accepted : Refused }, timeout.Token).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>The connecting side; throws <see cref="IOException"/> naming what went wrong when the listener refuses or is not a data plane.</summary>
    public static async Task ConnectAsync(Stream stream, byte[] key, string endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var challenge = new byte[s_magic.Length + 1 + NonceBytes];
        await stream.ReadExactlyAsync(challenge, timeout.Token).ConfigureAwait(false);
        if (!challenge.AsSpan(0, s_magic.Length).SequenceEqual(s_magic) || challenge[s_magic.Length] != Version)
        {
            throw new IOException($"{endpoint} is not an OrleansRing data plane of this version (its greeting is not 'ORDP' version {Version}).");
        }
        await stream.WriteAsync(Proof(key, challenge.AsSpan(s_magic.Length + 1)), timeout.Token).ConfigureAwait(false);
        var verdict = new byte[1];
        await stream.ReadExactlyAsync(verdict, timeout.Token).ConfigureAwait(false);
        if (verdict[0] != Accepted)
        {
            throw new IOException($"The data plane at {endpoint} refused this silo's key ({ChunkDataPlane.KeyKey} differs between the silos).");
        }
    }

    /// <summary>The configured key's bytes (UTF-8); the empty key when none is configured.</summary>
    public static byte[] KeyBytes(string? key) => string.IsNullOrEmpty(key) ? [] : Encoding.UTF8.GetBytes(key);

    private static byte[] Proof(byte[] key, ReadOnlySpan<byte> nonce)
    {
        var message = new byte[s_context.Length + nonce.Length];
        s_context.CopyTo(message, 0);
        nonce.CopyTo(message.AsSpan(s_context.Length));
        return HMACSHA256.HashData(key, message);
    }
}
