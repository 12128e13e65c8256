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
public sealed class FolderChunkStore : NamedBlobChunkStore
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

    public override string Endpoint => _root;

    public override Task EnsureReachableAsync(CancellationToken cancellationToken = default)
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

    private protected override Task PutBlobAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        PutAsync(name, payload, cancellationToken);

    private protected override Task<byte[]> GetBlobAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(name, startLength: null, cancellationToken);

    private protected override Task<byte[]> ReadBlobStartAsync(string name, int length, CancellationToken cancellationToken) =>
        ReadAsync(name, length, cancellationToken);

    private protected override Task<bool> BlobExistsAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(name)));

    private protected override Task<bool> DeleteBlobAsync(string name, CancellationToken cancellationToken)
    {
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

    private protected override Task<IReadOnlyList<string>> ListBlobNamesAsync(string prefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(ListNames(prefix));

    private protected override Task<List<long>> ListIterationsAsync(string experimentPrefix, CancellationToken cancellationToken)
    {
        var experimentFolder = PathOf(experimentPrefix);
        var iterations = new List<long>();
        Guard(experimentPrefix, () =>
        {
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
            return 0;
        });
        return Task.FromResult(iterations);
    }

    private protected override Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = ListNames(prefix).Count;
        var folder = PathOf(prefix);
        Guard(prefix, () =>
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            return 0;
        });
        return Task.FromResult(count);
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
