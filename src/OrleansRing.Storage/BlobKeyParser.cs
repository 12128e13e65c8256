using System.Diagnostics.CodeAnalysis;

namespace OrleansRing.Storage;

/// <summary>A key type's <c>TryParse</c> of a blob name (<see cref="ChunkKey"/>, <see cref="ChunkBundleKey"/>, <see cref="CheckpointKey"/>).</summary>
internal delegate bool BlobKeyParser<TKey>([NotNullWhen(true)] string? blobName, [NotNullWhen(true)] out TKey? key)
    where TKey : class;
