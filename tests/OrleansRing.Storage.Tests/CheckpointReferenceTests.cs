using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrleansRing.Storage.Tests;

public sealed class CheckpointReferenceTests
{
    [Fact]
    public void Encode_ThenDecode_GivesTheSameHolderAndHash()
    {
        var state = TestPayloads.Random(1000, seed: 3);
        var reference = CheckpointReference.ForState(17, state);

        var bytes = reference.Encode();

        Assert.Equal(CheckpointReference.Size, bytes.Length);
        Assert.True(CheckpointReference.TryDecode(bytes, out var decoded));
        Assert.Equal(reference, decoded);
        Assert.Equal(17, decoded.HolderRank);
        Assert.Equal(SHA256.HashData(state), decoded.StateHash);
    }

    [Fact]
    public void TryDecode_IsFalse_ForAStateOrAnEmptyPayload()
    {
        // A trainer state starts with "ORTS"; any payload without the reference's magic number is a state.
        var state = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(state, 0x5354524F);

        Assert.False(CheckpointReference.TryDecode(state, out _));
        Assert.False(CheckpointReference.TryDecode([], out _));
        Assert.False(CheckpointReference.TryDecode(new byte[] { 0x4F, 0x52 }, out _));
    }

    [Fact]
    public void TryDecode_Throws_ForATruncatedOrForeignVersionReference()
    {
        var bytes = CheckpointReference.ForState(1, [1, 2, 3]).Encode();
        var truncated = bytes[..^1];
        var otherVersion = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(otherVersion.AsSpan(4), 2);
        var badRank = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badRank.AsSpan(8), -4);

        Assert.Contains("44 bytes", Assert.Throws<InvalidDataException>(() => CheckpointReference.TryDecode(truncated, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => CheckpointReference.TryDecode(otherVersion, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("rank -4", Assert.Throws<InvalidDataException>(() => CheckpointReference.TryDecode(badRank, out _)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AcceptsOnlyTheReferredBytes()
    {
        var state = TestPayloads.Random(300, seed: 4);
        var reference = CheckpointReference.ForState(0, state);
        var other = (byte[])state.Clone();
        other[^1] ^= 0x80;

        Assert.Null(reference.Verify(state));
        Assert.Contains("diverged", reference.Verify(other), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsAHashThatIsNotSha256_AndARankOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => new CheckpointReference(0, new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointReference(ChunkKey.MaxRank + 1, new byte[32]));
    }
}
