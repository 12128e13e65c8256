using Microsoft.Win32.SafeHandles;

namespace OrleansRing.Storage;

/// <summary>
/// An <see cref="IChunkStore"/> in a local folder, the embedded default: each blob name is a relative path
/// under <see cref="Endpoint"/>, each file a <see cref="FolderChunkFormat"/> header (length + SHA-256)
/// followed by the payload.
/// </summary>
/// <remarks>
/// Writes go to a hidden temp file in the target folder and are renamed over the final name, so readers see
/// the old file or the new one, never a mix, and a crash leaves at most a stray ".*.tmp" file that listing
/// ignores. Even a file torn by a power cut cannot read as valid, because its length and hash are checked.
/// Files are not fsynced by default: silo loss (the process dying) keeps the OS cache, and a chunk lost to an
/// OS crash reads as missing or corrupt, never as wrong data; set <c>flushToDisk</c> to pay for full durability.
/// </remarks>
public sealed class FolderChunkStore : IChunkStore
{
    private readonly string _root;
    private readonly bool _flushToDisk;

    /// <param name="rootPath">The folder; created by <see cref="EnsureReachableAsync"/> or the first write if missing.</param>
    /// <param name="flushToDisk">fsync every file before it is renamed into place.</param>
    public FolderChunkStore(string rootPath, bool flushToDisk = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        _root = Path.GetFullPath(rootPath);
        _flushToDisk = flushToDisk;
    }

    public string Endpoint => _root;

    public Task EnsureReachableAsync(CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(_root, $".probe-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(_root);
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChunkStoreUnreachableException(_root, null, $"Chunk folder {_root} cannot be written: {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public Task PutChunkAsync(ChunkKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PutAsync(NameOf(key), payload, cancellationToken);

    public Task<byte[]> GetChunkAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        GetAsync(NameOf(key), cancellationToken);

    public Task<bool> ChunkExistsAsync(ChunkKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(NameOf(key))));

    public Task<IReadOnlyList<ChunkKey>> ListChunksAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(ListKeys<ChunkKey>(iteration is { } i ? ChunkKey.IterationPrefix(experimentId, i) : ChunkKey.ExperimentPrefix(experimentId), ChunkKey.TryParse));

    public Task<bool> DeleteChunkAsync(ChunkKey key, CancellationToken cancellationToken = default)
    {
        var name = NameOf(key);
        var path = PathOf(name);
        return Task.FromResult(Guard(name, () =>
        {
            if (!File.Exists(path))
            {
                return false;
            }
            File.Delete(path);
            return true;
        }));
    }

    public Task<int> DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var prefix = ChunkKey.ExperimentPrefix(experimentId);
        var count = ListNames(prefix).Count;
        DeleteFolder(prefix);
        return Task.FromResult(count);
    }

    public Task<IReadOnlyList<long>> PruneIterationsAsync(string experimentId, int keepLast, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        var experimentFolder = PathOf(ChunkKey.ExperimentPrefix(experimentId));
        var iterations = new List<long>();
        if (Directory.Exists(experimentFolder))
        {
            foreach (var folder in Directory.EnumerateDirectories(experimentFolder))
            {
                if (BlobNameSegments.TryParseIteration(Path.GetFileName(folder), out var iteration))
                {
                    iterations.Add(iteration);
                }
            }
        }
        iterations.Sort();
        var deleted = iterations.Take(Math.Max(0, iterations.Count - keepLast)).ToList();
        foreach (var iteration in deleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeleteFolder(ChunkKey.IterationPrefix(experimentId, iteration));
        }
        return Task.FromResult<IReadOnlyList<long>>(deleted);
    }

    public Task PutChunkBundleAsync(ChunkBundleKey key, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PutAsync(key.ToBlobName(), bundle, cancellationToken);
    }

    public Task<byte[]> GetChunkBundleAsync(ChunkBundleKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetAsync(key.ToBlobName(), cancellationToken);
    }

    public Task<byte[]> ReadChunkBundleStartAsync(ChunkBundleKey key, int length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return ReadAsync(key.ToBlobName(), length, cancellationToken);
    }

    public Task<IReadOnlyList<ChunkBundleKey>> ListChunkBundlesAsync(string experimentId, long? iteration = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(ListKeys<ChunkBundleKey>(iteration is { } i ? ChunkBundleKey.IterationPrefix(experimentId, i) : ChunkKey.ExperimentPrefix(experimentId), ChunkBundleKey.TryParse));

    public Task PutCheckpointAsync(CheckpointKey key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PutAsync(key.ToBlobName(), payload, cancellationToken);
    }

    public Task<byte[]> GetCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetAsync(key.ToBlobName(), cancellationToken);
    }

    public Task<IReadOnlyList<CheckpointKey>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ListKeys<CheckpointKey>(CheckpointKey.Prefix(experimentId), CheckpointKey.TryParse));

    public Task<bool> DeleteCheckpointAsync(CheckpointKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key.ToBlobName();
        var path = PathOf(name);
        return Task.FromResult(Guard(name, () =>
        {
            if (!File.Exists(path))
            {
                return false;
            }
            File.Delete(path);
            return true;
        }));
    }

    public Task PutDocumentAsync(string experimentId, string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        PutAsync(DocumentNames.BlobName(experimentId, name), payload, cancellationToken);

    public async Task<byte[]?> TryGetDocumentAsync(string experimentId, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(DocumentNames.BlobName(experimentId, name), cancellationToken).ConfigureAwait(false);
        }
        catch (ChunkNotFoundException)
        {
            return null;
        }
    }

    private static string NameOf(ChunkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ToBlobName();
    }

    // Names come only from validated keys and prefixes, so they cannot leave the root.
    private string PathOf(string name) => Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar));

    private async Task PutAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(name);
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var header = FolderChunkFormat.CreateHeader(payload.Span);
        try
        {
            Directory.CreateDirectory(folder);
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                // One gathered write: the payload is never copied next to its header.
                await RandomAccess.WriteAsync(handle, [header, payload], 0, cancellationToken).ConfigureAwait(false);
                if (_flushToDisk)
                {
                    RandomAccess.FlushToDisk(handle);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temp);
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw new ChunkStoreException(_root, name, $"Could not write '{name}' in chunk folder {_root}: {e.Message}", e);
        }
    }

    private Task<byte[]> GetAsync(string name, CancellationToken cancellationToken) => ReadAsync(name, startLength: null, cancellationToken);

    /// <summary>The payload, verified; or, with <paramref name="startLength"/>, only its first bytes, unverified (a bundle's index).</summary>
    private async Task<byte[]> ReadAsync(string name, int? startLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SafeFileHandle handle;
        try
        {
            // FileShare.Delete lets a writer rename a new version over a file being read (Windows).
            handle = File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ChunkNotFoundException(_root, name, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChunkStoreException(_root, name, $"Could not open '{name}' in chunk folder {_root}: {e.Message}", e);
        }

        using (handle)
        {
            try
            {
                var fileLength = RandomAccess.GetLength(handle);
                if (fileLength < FolderChunkFormat.HeaderSize)
                {
                    throw Integrity(name, $"the file is {fileLength} bytes, shorter than the {FolderChunkFormat.HeaderSize}-byte header (torn write)");
                }
                var header = new byte[FolderChunkFormat.HeaderSize];
                await ReadExactlyAsync(handle, header, 0, name, cancellationToken).ConfigureAwait(false);
                var problem = FolderChunkFormat.Read(header, fileLength, out var payloadLength, out _);
                if (problem is not null)
                {
                    throw Integrity(name, problem);
                }
                var payload = GC.AllocateUninitializedArray<byte>(Math.Min(startLength ?? payloadLength, payloadLength));
                await ReadExactlyAsync(handle, payload, FolderChunkFormat.HeaderSize, name, cancellationToken).ConfigureAwait(false);
                if (startLength is not null)
                {
                    return payload;
                }
                problem = ChunkHash.Verify(payload, header.AsSpan(16, ChunkHash.Size));
                return problem is null ? payload : throw Integrity(name, problem);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ChunkStoreException(_root, name, $"Could not read '{name}' in chunk folder {_root}: {e.Message}", e);
            }
        }
    }

    private async Task ReadExactlyAsync(SafeFileHandle handle, Memory<byte> buffer, long offset, string name, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Integrity(name, "the file shrank while it was being read");
            }
            buffer = buffer[read..];
            offset += read;
        }
    }

    private ChunkIntegrityException Integrity(string name, string reason) => new(_root, name, reason);

    /// <summary>Every name under <paramref name="prefix"/> (a folder), ordered ordinally; temp files are skipped.</summary>
    /// <summary>The keys of the files under <paramref name="prefix"/> that parse as <typeparamref name="TKey"/>, in name order.</summary>
    private IReadOnlyList<TKey> ListKeys<TKey>(string prefix, BlobKeyParser<TKey> parse)
        where TKey : class
    {
        var keys = new List<TKey>();
        foreach (var name in ListNames(prefix))
        {
            if (parse(name, out var key))
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    private List<string> ListNames(string prefix)
    {
        var folder = PathOf(prefix);
        var names = new List<string>();
        if (!Directory.Exists(folder))
        {
            return names;
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        Guard(prefix, () =>
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", options))
            {
                if (!Path.GetFileName(file).StartsWith('.'))
                {
                    names.Add(Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'));
                }
            }
            return 0;
        });
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private void DeleteFolder(string prefix)
    {
        var folder = PathOf(prefix);
        Guard(prefix, () =>
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            return 0;
        });
    }

    private T Guard<T>(string name, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted concurrently: the end state is the one asked for.
            return default!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChunkStoreException(_root, name, $"Chunk folder {_root} failed on '{name}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is ignored by listing and removed with its folder.
        }
    }
}
