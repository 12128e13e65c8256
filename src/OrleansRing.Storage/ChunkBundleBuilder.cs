using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrleansRing.Storage;

/// <summary>
/// Writes a <see cref="ChunkBundle"/> (the one writer of its format) into one buffer it keeps and reuses: each chunk's
/// bytes are copied once, straight to their place after room left for the index, and <see cref="Build"/> writes the
/// header and index just before them. A worker's write-behind keeps one builder per phase, so a ring of steady
/// iterations allocates nothing for its bundles.
/// </summary>
/// <remarks>Not thread-safe. The memory <see cref="Build"/> returns is valid until the next <see cref="Reset"/>.</remarks>
public sealed class ChunkBundleBuilder
{
    internal const int Magic = 0x4243524F; // "ORCB" little-endian
    internal const int Version = 1;
    internal const int HeaderSize = 4 + 4 + 8 + 4 + 4;
    internal const int EntryHeaderSize = 1 + 4 + 4 + 4 + 1;
    internal const int BytesEntrySize = EntryHeaderSize + 4;
    internal const int SameAsEntrySize = EntryHeaderSize + 1 + 4 * 4 + SHA256.HashSizeInBytes;

    private readonly List<Entry> _entries = [];
    private byte[] _buffer;
    private int _reserved;
    private int _end;

    /// <param name="expectedEntries">How many chunks a bundle usually holds (N − 1 for a ring of N): room for their index is kept in front.</param>
    /// <param name="key">The first bundle's key; more with <see cref="Reset"/>.</param>
    public ChunkBundleBuilder(ChunkBundleKey key, int expectedEntries = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedEntries);
        _reserved = HeaderSize + expectedEntries * SameAsEntrySize;
        _buffer = new byte[_reserved];
        Reset(key);
    }

    public ChunkBundleKey Key { get; private set; } = null!;

    public int Count => _entries.Count;

    /// <summary>Starts a new, empty bundle under <paramref name="key"/>, keeping the buffer.</summary>
    public void Reset(ChunkBundleKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        _entries.Clear();
        _end = _reserved;
    }

    public bool Contains(ChunkKey key)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds a chunk stored as its bytes (copied).</summary>
    public void Add(ChunkKey key, ReadOnlySpan<byte> payload)
    {
        Check(key);
        EnsureRoom(payload.Length);
        payload.CopyTo(_buffer.AsSpan(_end));
        _end += payload.Length;
        _entries.Add(new Entry(key, payload.Length, null, null));
    }

    /// <summary>Adds a chunk that sent the bytes received as <paramref name="sameAs"/>: recorded as that key and the bytes' SHA-256.</summary>
    public void AddSameAs(ChunkKey key, ChunkKey sameAs, ReadOnlySpan<byte> payload)
    {
        Check(key);
        ArgumentNullException.ThrowIfNull(sameAs);
        if (sameAs.ExperimentId != Key.ExperimentId || sameAs.Iteration != Key.Iteration)
        {
            throw new ArgumentException($"Chunk {key} can refer only to a chunk of the same iteration, not {sameAs}.", nameof(sameAs));
        }
        _entries.Add(new Entry(key, 0, sameAs, SHA256.HashData(payload)));
    }

    /// <summary>The encoded bundle: header, index and payloads.</summary>
    public ReadOnlyMemory<byte> Build()
    {
        var indexLength = HeaderSize + _entries.Sum(e => e.SameAs is null ? BytesEntrySize : SameAsEntrySize);
        if (indexLength > _reserved)
        {
            // More entries than room was kept for: move the payloads back once and keep the larger room from now on.
            var grown = new byte[indexLength + (_end - _reserved)];
            _buffer.AsSpan(_reserved, _end - _reserved).CopyTo(grown.AsSpan(indexLength));
            _end = indexLength + (_end - _reserved);
            _reserved = indexLength;
            _buffer = grown;
        }
        var start = _reserved - indexLength;
        var span = _buffer.AsSpan(start, indexLength);
        BinaryPrimitives.WriteInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], Key.Iteration);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], Key.SenderRank);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], _entries.Count);
        var index = span[HeaderSize..];
        foreach (var entry in _entries)
        {
            var k = entry.Key;
            index[0] = (byte)k.Phase;
            BinaryPrimitives.WriteInt32LittleEndian(index[1..], k.Step);
            BinaryPrimitives.WriteInt32LittleEndian(index[5..], k.ReceiverRank);
            BinaryPrimitives.WriteInt32LittleEndian(index[9..], k.ChunkIndex);
            if (entry.SameAs is not { } same)
            {
                index[13] = 0;
                BinaryPrimitives.WriteInt32LittleEndian(index[14..], entry.Length);
                index = index[BytesEntrySize..];
                continue;
            }
            index[13] = 1;
            index[14] = (byte)same.Phase;
            BinaryPrimitives.WriteInt32LittleEndian(index[15..], same.Step);
            BinaryPrimitives.WriteInt32LittleEndian(index[19..], same.SenderRank);
            BinaryPrimitives.WriteInt32LittleEndian(index[23..], same.ReceiverRank);
            BinaryPrimitives.WriteInt32LittleEndian(index[27..], same.ChunkIndex);
            entry.SameAsHash!.CopyTo(index[31..]);
            index = index[SameAsEntrySize..];
        }
        return _buffer.AsMemory(start, _end - start);
    }

    private void Check(ChunkKey key)
    {
        if (!Key.Holds(key))
        {
            throw new ArgumentException($"Chunk {key} does not belong in bundle {Key}.", nameof(key));
        }
    }

    private void EnsureRoom(int bytes)
    {
        var needed = (long)_end + bytes;
        if (needed <= _buffer.Length)
        {
            return;
        }
        var grown = new byte[checked((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length)))];
        _buffer.AsSpan(0, _end).CopyTo(grown);
        _buffer = grown;
    }

    private sealed record Entry(ChunkKey Key, int Length, ChunkKey? SameAs, byte[]? SameAsHash);
}
