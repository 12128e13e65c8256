using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrleansRing.Storage;

/// <summary>
/// The chunks one worker sent in one phase of an iteration, in one blob (<see cref="ChunkBundleKey"/>): one write and
/// one delete per worker and phase instead of one per ring step. An all-gather forward of bytes the worker received
/// unchanged is stored as a reference to the chunk it received (its key and the bytes' SHA-256), so each reduced
/// chunk's bytes are stored once, by its owner, not N − 1 times.
/// </summary>
/// <remarks>
/// Layout, little-endian: "ORCB" (0x4243524F), version 1 (int32), iteration (int64), sender (int32), entry count
/// (int32); per entry: phase (byte), step, receiver, chunk (int32 each), kind (byte: 0 bytes, 1 same-as); for bytes
/// the payload length (int32); for same-as the referred chunk's phase (byte), step, sender, receiver, chunk (int32
/// each) and SHA-256 (32 bytes); then the payloads of the byte entries in entry order. The store's hash of the whole
/// blob covers every byte; the same-as hash lets a reader check the referred chunk's bytes.
/// </remarks>
public sealed class ChunkBundle
{
    private const int HeaderSize = ChunkBundleBuilder.HeaderSize;
    private const int BytesEntrySize = ChunkBundleBuilder.BytesEntrySize;
    private const int SameAsEntrySize = ChunkBundleBuilder.SameAsEntrySize;
    private const int EntryHeaderSize = ChunkBundleBuilder.EntryHeaderSize;

    private readonly byte[] _bytes;

    private ChunkBundle(ChunkBundleKey key, byte[] bytes, IReadOnlyList<ChunkBundleEntry> entries)
    {
        Key = key;
        _bytes = bytes;
        Entries = entries;
    }

    public ChunkBundleKey Key { get; }

    /// <summary>In the order they were sent.</summary>
    public IReadOnlyList<ChunkBundleEntry> Entries { get; }

    /// <summary>The stored bytes of a byte entry.</summary>
    public ReadOnlyMemory<byte> Payload(ChunkBundleEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.SameAs is null
            ? _bytes.AsMemory(entry.Offset, entry.Length)
            : throw new InvalidOperationException($"{entry.Key} is stored as the same bytes as {entry.SameAs}, not as bytes of its own.");
    }

    /// <summary>
    /// The bundle of <paramref name="chunks"/>, which must all be <paramref name="key"/>'s (its experiment, iteration,
    /// phase and sender; a same-as chunk of the same experiment and iteration). For many bundles, reuse a
    /// <see cref="ChunkBundleBuilder"/> instead.
    /// </summary>
    public static byte[] Encode(ChunkBundleKey key, IEnumerable<BundledChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var builder = new ChunkBundleBuilder(key, expectedEntries: 0);
        foreach (var chunk in chunks)
        {
            if (chunk.SameAs is { } same)
            {
                builder.AddSameAs(chunk.Key, same, chunk.Payload.Span);
            }
            else
            {
                builder.Add(chunk.Key, chunk.Payload.Span);
            }
        }
        return builder.Build().ToArray();
    }

    /// <summary>Reads a bundle stored under <paramref name="key"/>; the bytes are kept, not copied.</summary>
    /// <exception cref="InvalidDataException">Not a bundle, another version, truncated, or of another iteration or sender.</exception>
    public static ChunkBundle Decode(ChunkBundleKey key, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> span = bytes;
        var count = ReadHeader(key, span);
        if ((long)count * BytesEntrySize > span.Length - HeaderSize)
        {
            throw new InvalidDataException($"{key} claims {count} entries, more than its {span.Length} bytes can hold.");
        }
        try
        {
            return new ChunkBundle(key, bytes, ReadEntries(key, span, count));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{key} is truncated or names a chunk outside the key ranges: {e.Message}", e);
        }
    }

    /// <summary>
    /// The keys of a bundle's chunks from the first bytes of it (<see cref="IChunkStore.ReadChunkBundleStartAsync"/>):
    /// its index, without downloading its payloads; false, with how many bytes may be needed, when
    /// <paramref name="start"/> is too short. The start is not verified against the bundle's hash: for listing only.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a bundle, another version, or of another iteration or sender.</exception>
    public static bool TryReadKeys(ChunkBundleKey key, ReadOnlySpan<byte> start, out IReadOnlyList<ChunkKey> keys, out int needed)
    {
        ArgumentNullException.ThrowIfNull(key);
        keys = [];
        needed = HeaderSize;
        if (start.Length < HeaderSize)
        {
            return false;
        }
        var count = ReadHeader(key, start);
        needed = HeaderSize + count * SameAsEntrySize; // an upper bound: every entry a same-as entry
        try
        {
            var entries = ReadIndex(key, start, count, out _);
            keys = entries is null ? [] : [.. entries.Select(e => e.Key)];
            return entries is not null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{key} names a chunk outside the key ranges: {e.Message}", e);
        }
    }

    /// <summary>Checks the header against <paramref name="key"/>; returns the entry count.</summary>
    private static int ReadHeader(ChunkBundleKey key, ReadOnlySpan<byte> span)
    {
        if (span.Length < HeaderSize || BinaryPrimitives.ReadInt32LittleEndian(span) != ChunkBundleBuilder.Magic)
        {
            throw new InvalidDataException($"{key} is not a chunk bundle (wrong magic number or shorter than its header).");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (version != ChunkBundleBuilder.Version)
        {
            throw new InvalidDataException($"{key} is chunk bundle format version {version}; this build reads version {ChunkBundleBuilder.Version}.");
        }
        var iteration = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var sender = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        if (iteration != key.Iteration || sender != key.SenderRank)
        {
            throw new InvalidDataException($"{key} holds the chunks of iteration {iteration}, sender {sender}.");
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        // One entry per step of one phase.
        return count is >= 0 and <= ChunkKey.MaxStep + 1
            ? count
            : throw new InvalidDataException($"{key} claims {count} entries; a bundle holds at most {ChunkKey.MaxStep + 1}, one per step.");
    }

    private static List<ChunkBundleEntry> ReadEntries(ChunkBundleKey key, ReadOnlySpan<byte> span, int count)
    {
        var entries = ReadIndex(key, span, count, out var indexEnd)
            ?? throw new InvalidDataException($"{key} is truncated: its {span.Length} bytes end inside the index of {count} entries.");
        // Byte entries' payloads follow the index in entry order.
        var offset = (long)indexEnd;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].SameAs is not null)
            {
                continue;
            }
            if (offset + entries[i].Length > span.Length)
            {
                throw new InvalidDataException($"{key} is truncated: {entries[i].Key}'s {entries[i].Length} bytes end past its {span.Length} bytes.");
            }
            entries[i] = entries[i] with { Offset = (int)offset };
            offset += entries[i].Length;
        }
        if (offset != span.Length)
        {
            throw new InvalidDataException($"{key} has {span.Length - offset} bytes after its last chunk.");
        }
        return entries;
    }

    /// <summary>The index's entries (byte entries without their offsets yet) and where it ends; null if <paramref name="span"/> ends first.</summary>
    private static List<ChunkBundleEntry>? ReadIndex(ChunkBundleKey key, ReadOnlySpan<byte> span, int count, out int indexEnd)
    {
        var entries = new List<ChunkBundleEntry>(count);
        var position = HeaderSize;
        indexEnd = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            var index = span[position..];
            if (index.Length < EntryHeaderSize || index.Length < (index[13] == 1 ? SameAsEntrySize : BytesEntrySize))
            {
                return null;
            }
            var chunk = new ChunkKey(key.ExperimentId, key.Iteration, ReadPhase(index[0]), BinaryPrimitives.ReadInt32LittleEndian(index[1..]),
                key.SenderRank, BinaryPrimitives.ReadInt32LittleEndian(index[5..]), BinaryPrimitives.ReadInt32LittleEndian(index[9..]));
            if (chunk.Phase != key.Phase)
            {
                throw new InvalidDataException($"{key} holds {chunk}, of the other phase.");
            }
            switch (index[13])
            {
                case 0:
                    var length = BinaryPrimitives.ReadInt32LittleEndian(index[14..]);
                    if (length < 0)
                    {
                        throw new InvalidDataException($"{key} gives {chunk} a negative length.");
                    }
                    entries.Add(new ChunkBundleEntry(chunk, -1, length, null, null));
                    position += BytesEntrySize;
                    break;
                case 1:
                    var same = new ChunkKey(key.ExperimentId, key.Iteration, ReadPhase(index[14]), BinaryPrimitives.ReadInt32LittleEndian(index[15..]),
                        BinaryPrimitives.ReadInt32LittleEndian(index[19..]), BinaryPrimitives.ReadInt32LittleEndian(index[23..]), BinaryPrimitives.ReadInt32LittleEndian(index[27..]));
                    entries.Add(new ChunkBundleEntry(chunk, 0, 0, same, index.Slice(31, SHA256.HashSizeInBytes).ToArray()));
                    position += SameAsEntrySize;
                    break;
                default:
                    throw new InvalidDataException($"{key} gives {chunk} the unknown entry kind {index[13]}.");
            }
            indexEnd = position;
        }
        return entries;
    }

    private static RingPhase ReadPhase(byte value) =>
        Enum.IsDefined((RingPhase)value) ? (RingPhase)value : throw new InvalidDataException($"Unknown ring phase {value} in a chunk bundle.");
}
