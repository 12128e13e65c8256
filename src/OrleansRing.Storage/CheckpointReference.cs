using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace OrleansRing.Storage;

/// <summary>
/// A checkpoint that holds no state of its own: "my state is byte for byte the one rank <see cref="HolderRank"/>
/// saved at the same iteration, whose SHA-256 is <see cref="StateHash"/>". Honest replicas of a ring are bitwise
/// identical, so one rank stores the state and the others store this 44-byte record in their checkpoint's place
/// instead of N copies of the same megabytes. A reader follows it and checks the holder's bytes against
/// <see cref="StateHash"/>: a replica that had diverged can never be restored from another's state.
/// </summary>
/// <remarks>
/// Layout (little-endian): "ORCR" (0x5243524F), format version 1 (int32), holder rank (int32), SHA-256 (32 bytes).
/// A trainer state starts with a different magic number, so the two are never confused.
/// </remarks>
public sealed record CheckpointReference
{
    public const int Size = 4 + 4 + 4 + ChunkHash.Size;

    private const int Magic = 0x5243524F; // "ORCR" little-endian
    private const int Version = 1;

    public CheckpointReference(int holderRank, byte[] stateHash)
    {
        ArgumentNullException.ThrowIfNull(stateHash);
        HolderRank = BlobNameSegments.InRange(holderRank, ChunkKey.MaxRank, nameof(holderRank));
        if (stateHash.Length != ChunkHash.Size)
        {
            throw new ArgumentException($"A state hash is a {ChunkHash.Size}-byte SHA-256, not {stateHash.Length} bytes.", nameof(stateHash));
        }
        StateHash = stateHash;
    }

    /// <summary>The rank whose checkpoint at the same iteration holds the state.</summary>
    public int HolderRank { get; }

    /// <summary>SHA-256 of the state the referring rank had; the holder's bytes must hash to it.</summary>
    public byte[] StateHash { get; }

    /// <summary>The reference to a state whose bytes are <paramref name="state"/>.</summary>
    public static CheckpointReference ForState(int holderRank, ReadOnlySpan<byte> state) => new(holderRank, ChunkHash.Compute(state));

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), HolderRank);
        StateHash.CopyTo(bytes, 12);
        return bytes;
    }

    /// <summary>
    /// True and the reference if <paramref name="checkpoint"/> is one; false for any other payload (a state).
    /// </summary>
    /// <exception cref="InvalidDataException">It starts like a reference but is truncated, of another version or names an impossible rank.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> checkpoint, [NotNullWhen(true)] out CheckpointReference? reference)
    {
        reference = null;
        if (checkpoint.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(checkpoint) != Magic)
        {
            return false;
        }
        if (checkpoint.Length != Size)
        {
            throw new InvalidDataException($"A checkpoint reference is {Size} bytes; this one is {checkpoint.Length}.");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(checkpoint[4..]);
        if (version != Version)
        {
            throw new InvalidDataException($"Checkpoint reference format version {version} is not supported (expected {Version}).");
        }
        var holder = BinaryPrimitives.ReadInt32LittleEndian(checkpoint[8..]);
        if (holder is < 0 or > ChunkKey.MaxRank)
        {
            throw new InvalidDataException($"The checkpoint reference names rank {holder}, outside 0 to {ChunkKey.MaxRank}.");
        }
        reference = new CheckpointReference(holder, checkpoint[12..].ToArray());
        return true;
    }

    /// <summary>
    /// Null when <paramref name="state"/>, the holder's bytes, is the referred state; otherwise why not, for an
    /// integrity error.
    /// </summary>
    public string? Verify(ReadOnlySpan<byte> state)
    {
        var actual = ChunkHash.Compute(state);
        return actual.AsSpan().SequenceEqual(StateHash)
            ? null
            : $"it refers to rank {HolderRank}'s state, whose {state.Length} bytes hash to SHA-256 {ChunkHash.ToHex(actual)}, not to "
                + $"{ChunkHash.ToHex(StateHash)}, the hash of the referring rank's own state: the replicas had diverged";
    }

    public bool Equals(CheckpointReference? other) =>
        other is not null && HolderRank == other.HolderRank && StateHash.AsSpan().SequenceEqual(other.StateHash);

    public override int GetHashCode() => HashCode.Combine(HolderRank, BinaryPrimitives.ReadInt32LittleEndian(StateHash));
}
