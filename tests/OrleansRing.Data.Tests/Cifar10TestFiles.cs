using System.Formats.Tar;
using System.IO.Compression;

namespace OrleansRing.Data.Tests;

/// <summary>Writes small files in the official CIFAR-10 binary format, and archives of them, for the reader to read back.</summary>
internal static class Cifar10TestFiles
{
    /// <summary>Seeded random labels in 0-9 and pixels, as the reader should return them.</summary>
    public static (byte[] Labels, byte[] Pixels) RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        var labels = new byte[count];
        var pixels = new byte[count * ImageDataset.PixelsPerImage];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(10);
        }
        random.NextBytes(pixels);
        return (labels, pixels);
    }

    /// <summary>Label byte then 3072 pixel bytes per record.</summary>
    public static byte[] Records(byte[] labels, byte[] pixels)
    {
        var records = new byte[labels.Length * Cifar10BinaryReader.RecordSize];
        for (var i = 0; i < labels.Length; i++)
        {
            records[i * Cifar10BinaryReader.RecordSize] = labels[i];
            pixels.AsSpan(i * ImageDataset.PixelsPerImage, ImageDataset.PixelsPerImage)
                .CopyTo(records.AsSpan((i * Cifar10BinaryReader.RecordSize) + 1));
        }
        return records;
    }

    /// <summary>Writes each (name, bytes) into <paramref name="folder"/>, creating it.</summary>
    public static void WriteFolder(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
    }

    /// <summary>Writes a tar (gzipped unless <paramref name="gzip"/> is false) holding the files under cifar-10-batches-bin/.</summary>
    public static void WriteArchive(string archive, IReadOnlyDictionary<string, byte[]> files, bool gzip = true)
    {
        using var file = File.Create(archive);
        using var content = gzip ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
        using var tar = new TarWriter(content, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, Cifar10BinaryReader.BatchesFolderName + "/"));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Cifar10BinaryReader.BatchesFolderName + "/batches.meta.txt")
        {
            DataStream = new MemoryStream("airplane\nautomobile\n"u8.ToArray()),
        });
        foreach (var (name, bytes) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Cifar10BinaryReader.BatchesFolderName + "/" + name)
            {
                DataStream = new MemoryStream(bytes),
            });
        }
    }
}
