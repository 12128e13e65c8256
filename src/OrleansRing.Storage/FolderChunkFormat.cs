using System.Buffers.Binary;

namespace OrleansRing.Storage;

/// <summary>
/// The 48-byte header a <see cref="FolderChunkStore"/> writes before each payload: "ORCK", format version,
/// three zero bytes, the payload length (int64 little-endian) and the payload's SHA-256. The hash sits in the
/// same file as the bytes it covers so that one rename publishes both, and a torn or truncated file can never
/// pass for a valid one.
/// </summary>
internal static class FolderChunkFormat
{
    public const int HeaderSize = 48;
    private const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "ORCK"u8;

    public static byte[] CreateHeader(ReadOnlySpan<byte> payload)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[4] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8, 8), payload.Length);
        ChunkHash.Compute(payload).CopyTo(header.AsSpan(16));
        return header;
    }

    /// <summary>Null when the header is well formed and fits a file of <paramref name="fileLength"/> bytes; otherwise why not.</summary>
    public static string? Read(ReadOnlySpan<byte> header, long fileLength, out int payloadLength, out ReadOnlySpan<byte> hash)
    {
        payloadLength = 0;
        hash = default;
        if (!header[..4].SequenceEqual(Magic))
        {
            return "the file does not start with the ORCK chunk header";
        }
        if (header[4] != Version)
        {
            return $"the header has format version {header[4]}, this build reads version {Version}";
        }
        var declared = BinaryPrimitives.ReadInt64LittleEndian(header.Slice(8, 8));
        if (declared != fileLength - HeaderSize)
        {
            return $"the header declares a {declared}-byte payload but the file holds {fileLength - HeaderSize} bytes after it (torn or truncated write)";
        }
        if (declared > Array.MaxLength)
        {
            return $"the {declared}-byte payload is larger than one array can hold";
        }
        payloadLength = (int)declared;
        hash = header.Slice(16, ChunkHash.Size);
        return null;
    }
}
