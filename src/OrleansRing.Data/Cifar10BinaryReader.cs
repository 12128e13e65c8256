using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace OrleansRing.Data;

/// <summary>
/// Reads CIFAR-10 in its official binary format: records of 1 label byte (0-9) and 3072 pixel bytes
/// (1024 red, 1024 green, 1024 blue, each plane row-major 32×32), which is already the planar layout of
/// <see cref="ImageDataset"/>. The training set is whichever of data_batch_1..5.bin exist (at least one),
/// the test set is test_batch.bin.
/// </summary>
public static class Cifar10BinaryReader
{
    public const int RecordSize = 1 + ImageDataset.PixelsPerImage;

    public const int ClassCount = 10;

    /// <summary>The folder the official archive unpacks to.</summary>
    public const string BatchesFolderName = "cifar-10-batches-bin";

    public const string TestFileName = "test_batch.bin";

    /// <summary>data_batch_1.bin .. data_batch_5.bin, in the order their images are concatenated.</summary>
    public static IReadOnlyList<string> TrainFileNames { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>Class names by label, as in batches.meta.txt.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    // Records per read: large enough that stream overhead vanishes, small enough to stay out of the LOH churn.
    private const int RecordsPerChunk = 256;

    /// <summary>
    /// Loads CIFAR-10 from <paramref name="path"/>: the extracted cifar-10-batches-bin folder, a folder
    /// holding it, or a .tar.gz (or plain .tar) archive such as cifar-10-binary.tar.gz or a partial one
    /// with only some of the batches. Archives are read as a stream; nothing is extracted to disk.
    /// </summary>
    /// <exception cref="DatasetFormatException">The path, a required file or a record is missing or malformed.</exception>
    public static DatasetSplit Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var trimmed = Path.TrimEndingDirectorySeparator(path);
        Dictionary<string, Batch> batches;
        if (Directory.Exists(trimmed))
        {
            batches = ReadFolder(trimmed);
        }
        else if (File.Exists(trimmed))
        {
            batches = ReadArchive(trimmed);
        }
        else
        {
            throw new DatasetFormatException($"CIFAR-10 data not found: '{path}' is neither a folder nor an archive file.");
        }

        var source = Path.GetFileName(trimmed);
        var where = Directory.Exists(trimmed) ? $"folder '{trimmed}'" : $"archive '{trimmed}'";
        if (!batches.TryGetValue(TestFileName, out var test))
        {
            throw new DatasetFormatException($"CIFAR-10 {TestFileName} not found in {where} (looked for {TestFileName} there and in {BatchesFolderName}/).");
        }
        var trainNames = TrainFileNames.Where(batches.ContainsKey).ToArray();
        if (trainNames.Length == 0)
        {
            throw new DatasetFormatException($"No CIFAR-10 training batch found in {where} (looked for {string.Join(", ", TrainFileNames)} there and in {BatchesFolderName}/).");
        }

        var train = Concatenate([.. trainNames.Select(n => batches[n])]);
        var trainSet = new ImageDataset($"cifar-10 train ({string.Join(", ", trainNames)})", train.Pixels, train.Labels, ClassCount);
        var testSet = new ImageDataset($"cifar-10 test ({TestFileName})", test.Pixels, test.Labels, ClassCount);
        return new DatasetSplit(trainSet, testSet, $"CIFAR-10 binary ({source}): {trainSet.Count} train, {testSet.Count} test", IsSynthetic: false);
    }

    private static Dictionary<string, Batch> ReadFolder(string folder)
    {
        // Either the batches folder itself or one that holds it (as after unpacking the archive in place).
        var candidates = new[] { folder, Path.Combine(folder, BatchesFolderName) };
        var chosen = candidates.FirstOrDefault(c => KnownFileNames().Any(n => File.Exists(Path.Combine(c, n))));
        if (chosen is null)
        {
            throw new DatasetFormatException(
                $"No CIFAR-10 batch files in folder '{folder}' or '{candidates[1]}' (looked for {string.Join(", ", KnownFileNames())}).");
        }

        var batches = new Dictionary<string, Batch>(StringComparer.Ordinal);
        foreach (var name in KnownFileNames())
        {
            var file = Path.Combine(chosen, name);
            if (!File.Exists(file))
            {
                continue;
            }
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            batches[name] = ReadBatch(stream, stream.Length, file);
        }
        return batches;
    }

    private static Dictionary<string, Batch> ReadArchive(string archive)
    {
        var batches = new Dictionary<string, Batch>(StringComparer.Ordinal);
        try
        {
            using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            using var content = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var tar = new TarReader(content);
            while (tar.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }
                var name = Path.GetFileName(entry.Name.Replace('\\', '/'));
                if (!KnownFileNames().Contains(name, StringComparer.Ordinal))
                {
                    continue;
                }
                var described = $"{archive}!{entry.Name}";
                if (batches.ContainsKey(name))
                {
                    throw new DatasetFormatException($"Archive '{archive}' holds {name} more than once (again at '{entry.Name}'); cannot tell which to use.");
                }
                if (entry.DataStream is null)
                {
                    throw new DatasetFormatException($"'{described}' has no data.");
                }
                batches[name] = ReadBatch(entry.DataStream, entry.Length, described);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            // Corrupt gzip or tar framing: say which archive, keep the decoder's reason inside.
            throw new DatasetFormatException($"Archive '{archive}' is not a readable tar or tar.gz: {e.Message}", e);
        }
        return batches;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Reads <paramref name="length"/> bytes of records; <paramref name="described"/> names the file in errors.</summary>
    // Runs once per file, so tier-0 code would do the whole loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Batch ReadBatch(Stream stream, long length, string described)
    {
        if (length == 0 || length % RecordSize != 0)
        {
            throw new DatasetFormatException(length == 0
                ? $"CIFAR-10 file '{described}' is empty; a batch holds whole records of {RecordSize} bytes."
                : $"CIFAR-10 file '{described}' has {length} bytes, not a multiple of the {RecordSize}-byte record: record {length / RecordSize} is cut off after {length % RecordSize} bytes.");
        }
        var count = checked((int)(length / RecordSize));
        var labels = new byte[count];
        var pixels = GC.AllocateUninitializedArray<byte>(checked(count * ImageDataset.PixelsPerImage));
        var buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordSize);
        try
        {
            for (var first = 0; first < count; first += RecordsPerChunk)
            {
                var records = Math.Min(RecordsPerChunk, count - first);
                var chunk = buffer.AsSpan(0, records * RecordSize);
                var read = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
                if (read < chunk.Length)
                {
                    var at = first + (read / RecordSize);
                    throw new DatasetFormatException($"CIFAR-10 file '{described}' ended early: record {at} of {count} is incomplete.");
                }
                for (var r = 0; r < records; r++)
                {
                    var record = chunk.Slice(r * RecordSize, RecordSize);
                    var index = first + r;
                    var label = record[0];
                    if (label >= ClassCount)
                    {
                        throw new DatasetFormatException($"CIFAR-10 file '{described}', record {index}: label {label} is outside 0-{ClassCount - 1}.");
                    }
                    labels[index] = label;
                    record[1..].CopyTo(pixels.AsSpan(index * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new Batch(pixels, labels);
    }

    private static Batch Concatenate(Batch[] parts)
    {
        if (parts.Length == 1)
        {
            return parts[0];
        }
        var pixels = GC.AllocateUninitializedArray<byte>(parts.Sum(p => p.Pixels.Length));
        var labels = new byte[parts.Sum(p => p.Labels.Length)];
        int pixelAt = 0, labelAt = 0;
        foreach (var part in parts)
        {
            part.Pixels.CopyTo(pixels, pixelAt);
            part.Labels.CopyTo(labels, labelAt);
            pixelAt += part.Pixels.Length;
            labelAt += part.Labels.Length;
        }
        return new Batch(pixels, labels);
    }

    private static IEnumerable<string> KnownFileNames() => TrainFileNames.Append(TestFileName);

    private sealed record Batch(byte[] Pixels, byte[] Labels);
}
