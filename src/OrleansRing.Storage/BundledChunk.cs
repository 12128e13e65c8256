namespace OrleansRing.Storage;

/// <summary>
/// One chunk to store in a <see cref="ChunkBundle"/>: its key and the bytes sent. When <see cref="SameAs"/> names the
/// chunk these bytes were received as (an all-gather forward), the bundle records that key and the bytes' SHA-256
/// instead of the bytes.
/// </summary>
public sealed record BundledChunk(ChunkKey Key, ReadOnlyMemory<byte> Payload, ChunkKey? SameAs = null);
