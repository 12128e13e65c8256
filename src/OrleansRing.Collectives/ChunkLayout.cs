namespace OrleansRing.Collectives;

/// <summary>
/// Splits a flattened vector of <see cref="Length"/> values into <see cref="ChunkCount"/> near-equal,
/// contiguous chunks: the first <c>Length % ChunkCount</c> chunks hold one value more than the rest.
/// Lengths smaller than the chunk count give empty trailing chunks, which the ring still sends.
/// </summary>
public sealed class ChunkLayout
{
    private readonly int _baseLength;
    private readonly int _longChunks;

    public ChunkLayout(int length, int chunkCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkCount, 1);
        Length = length;
        ChunkCount = chunkCount;
        _baseLength = length / chunkCount;
        _longChunks = length % chunkCount;
    }

    public int Length { get; }

    public int ChunkCount { get; }

    /// <summary>The largest chunk's length: the most values any single ring message carries.</summary>
    public int MaxChunkLength => _baseLength + (_longChunks > 0 ? 1 : 0);

    public int Offset(int chunk)
    {
        CheckChunk(chunk);
        return (chunk * _baseLength) + Math.Min(chunk, _longChunks);
    }

    public int ChunkLength(int chunk)
    {
        CheckChunk(chunk);
        return _baseLength + (chunk < _longChunks ? 1 : 0);
    }

    public Span<float> Slice(Span<float> vector, int chunk) => vector.Slice(Offset(chunk), ChunkLength(chunk));

    public ReadOnlySpan<float> Slice(ReadOnlySpan<float> vector, int chunk) => vector.Slice(Offset(chunk), ChunkLength(chunk));

    private void CheckChunk(int chunk)
    {
        if ((uint)chunk >= (uint)ChunkCount)
        {
            throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"Chunk index must be in [0, {ChunkCount}).");
        }
    }
}
