namespace OrleansRing.Storage;

/// <summary>
/// One chunk in a decoded <see cref="ChunkBundle"/>: either its bytes (at <see cref="Offset"/>, <see cref="Length"/>
/// bytes long) or, when <see cref="SameAs"/> is set, the chunk whose bytes it sent and their SHA-256.
/// </summary>
public sealed record ChunkBundleEntry(ChunkKey Key, int Offset, int Length, ChunkKey? SameAs, byte[]? SameAsHash);
