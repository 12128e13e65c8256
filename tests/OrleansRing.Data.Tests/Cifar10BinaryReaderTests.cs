namespace OrleansRing.Data.Tests;

public sealed class Cifar10BinaryReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_ExtractedFolder_ReturnsLabelsAndPixelsExactly()
    {
        // Arrange
        var (batch1, batch2, test, files) = ThreeBatches();
        var folder = _temp.Combine(Cifar10BinaryReader.BatchesFolderName);
        Cifar10TestFiles.WriteFolder(folder, files);

        // Act
        var split = Cifar10BinaryReader.Load(folder);

        // Assert
        AssertSplit(split, batch1, batch2, test);
        Assert.Equal("CIFAR-10 binary (cifar-10-batches-bin): 7 train, 3 test", split.Description);
        Assert.False(split.IsSynthetic);
    }

    [Fact]
    public void Load_FolderHoldingBatchesFolder_FindsIt()
    {
        // Arrange
        var (batch1, batch2, test, files) = ThreeBatches();
        Cifar10TestFiles.WriteFolder(_temp.Combine(Cifar10BinaryReader.BatchesFolderName), files);

        // Act
        var split = Cifar10BinaryReader.Load(_temp.Path + Path.DirectorySeparatorChar);

        // Assert
        AssertSplit(split, batch1, batch2, test);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_Archive_ReturnsSameAsFolder(bool gzip)
    {
        // Arrange
        var (batch1, batch2, test, files) = ThreeBatches();
        var archive = _temp.Combine(gzip ? "cifar-10-binary.tar.gz" : "cifar-10-binary.tar");
        Cifar10TestFiles.WriteArchive(archive, files, gzip);

        // Act
        var split = Cifar10BinaryReader.Load(archive);

        // Assert
        AssertSplit(split, batch1, batch2, test);
        Assert.Equal($"CIFAR-10 binary ({Path.GetFileName(archive)}): 7 train, 3 test", split.Description);
    }

    [Fact]
    public void Load_TruncatedFile_NamesFileLengthAndPartialRecord()
    {
        // Arrange: two whole records and 100 bytes of a third.
        var (labels, pixels) = Cifar10TestFiles.RandomImages(3, seed: 4);
        var records = Cifar10TestFiles.Records(labels, pixels);
        var truncated = records[..((2 * Cifar10BinaryReader.RecordSize) + 100)];
        Cifar10TestFiles.WriteFolder(_temp.Path, new Dictionary<string, byte[]>
        {
            ["data_batch_1.bin"] = truncated,
            ["test_batch.bin"] = records,
        });

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(_temp.Path));

        // Assert
        Assert.Contains("data_batch_1.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{truncated.Length} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("record 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFileInArchive_NamesEntryAndPartialRecord()
    {
        // Arrange
        var (labels, pixels) = Cifar10TestFiles.RandomImages(2, seed: 5);
        var records = Cifar10TestFiles.Records(labels, pixels);
        var archive = _temp.Combine("cifar-10-binary.tar.gz");
        Cifar10TestFiles.WriteArchive(archive, new Dictionary<string, byte[]>
        {
            ["data_batch_1.bin"] = records,
            ["test_batch.bin"] = records[..^1],
        });

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(archive));

        // Assert
        Assert.Contains("cifar-10-batches-bin/test_batch.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("record 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_LabelTen_NamesFileRecordAndLabel(bool archived)
    {
        // Arrange: record 3 of test_batch.bin says class 10.
        var (labels, pixels) = Cifar10TestFiles.RandomImages(5, seed: 6);
        var good = Cifar10TestFiles.Records(labels, pixels);
        var bad = (byte[])good.Clone();
        bad[3 * Cifar10BinaryReader.RecordSize] = 10;
        var files = new Dictionary<string, byte[]> { ["data_batch_1.bin"] = good, ["test_batch.bin"] = bad };
        var path = archived ? _temp.Combine("cifar.tar.gz") : _temp.Path;
        if (archived)
        {
            Cifar10TestFiles.WriteArchive(path, files);
        }
        else
        {
            Cifar10TestFiles.WriteFolder(path, files);
        }

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(path));

        // Assert
        Assert.Contains("test_batch.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("record 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("label 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_MissingTestBatch_SaysWhatWasLookedForAndWhere(bool archived)
    {
        // Arrange
        var (labels, pixels) = Cifar10TestFiles.RandomImages(2, seed: 7);
        var files = new Dictionary<string, byte[]> { ["data_batch_1.bin"] = Cifar10TestFiles.Records(labels, pixels) };
        var path = archived ? _temp.Combine("partial.tar.gz") : _temp.Combine(Cifar10BinaryReader.BatchesFolderName);
        if (archived)
        {
            Cifar10TestFiles.WriteArchive(path, files);
        }
        else
        {
            Cifar10TestFiles.WriteFolder(path, files);
        }

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(path));

        // Assert
        Assert.Contains("test_batch.bin not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoTrainingBatch_ListsTheBatchesLookedFor()
    {
        // Arrange
        var (labels, pixels) = Cifar10TestFiles.RandomImages(2, seed: 8);
        Cifar10TestFiles.WriteFolder(_temp.Path, new Dictionary<string, byte[]> { ["test_batch.bin"] = Cifar10TestFiles.Records(labels, pixels) });

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(_temp.Path));

        // Assert
        Assert.Contains("No CIFAR-10 training batch", error.Message, StringComparison.Ordinal);
        Assert.Contains("data_batch_5.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFolder_SaysWhereItLooked()
    {
        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(_temp.Path));

        // Assert
        Assert.Contains(_temp.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(Cifar10BinaryReader.BatchesFolderName, error.Message, StringComparison.Ordinal);
        Assert.Contains("test_batch.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingPath_NamesThePath()
    {
        // Arrange
        var path = _temp.Combine("no-such-cifar.tar.gz");

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(path));

        // Assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileThatIsNoArchive_NamesTheFile()
    {
        // Arrange
        var path = _temp.Combine("notes.tar.gz");
        File.WriteAllText(path, "this is not a tar archive, just some text that is long enough to be read as a header");

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(path));

        // Assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptGzip_NamesTheArchive()
    {
        // Arrange: a gzip header followed by garbage.
        var path = _temp.Combine("corrupt.tar.gz");
        var bytes = new byte[4096];
        new Random(9).NextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = 0x8b;
        File.WriteAllBytes(path, bytes);

        // Act
        var error = Assert.Throws<DatasetFormatException>(() => Cifar10BinaryReader.Load(path));

        // Assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static ((byte[] Labels, byte[] Pixels) Batch1, (byte[] Labels, byte[] Pixels) Batch2, (byte[] Labels, byte[] Pixels) Test, Dictionary<string, byte[]> Files) ThreeBatches()
    {
        var batch1 = Cifar10TestFiles.RandomImages(4, seed: 1);
        var batch2 = Cifar10TestFiles.RandomImages(3, seed: 2);
        var test = Cifar10TestFiles.RandomImages(3, seed: 3);
        // Written out of order: the reader must still concatenate batch 1 before batch 2.
        var files = new Dictionary<string, byte[]>
        {
            ["test_batch.bin"] = Cifar10TestFiles.Records(test.Labels, test.Pixels),
            ["data_batch_2.bin"] = Cifar10TestFiles.Records(batch2.Labels, batch2.Pixels),
            ["data_batch_1.bin"] = Cifar10TestFiles.Records(batch1.Labels, batch1.Pixels),
        };
        return (batch1, batch2, test, files);
    }

    private static void AssertSplit(DatasetSplit split, (byte[] Labels, byte[] Pixels) batch1, (byte[] Labels, byte[] Pixels) batch2, (byte[] Labels, byte[] Pixels) test)
    {
        Assert.Equal([.. batch1.Labels, .. batch2.Labels], split.Train.Labels.ToArray());
        Assert.Equal([.. batch1.Pixels, .. batch2.Pixels], split.Train.Pixels.ToArray());
        Assert.Equal(test.Labels, split.Test.Labels.ToArray());
        Assert.Equal(test.Pixels, split.Test.Pixels.ToArray());
        Assert.Equal(10, split.Train.ClassCount);
        Assert.Contains("data_batch_1.bin, data_batch_2.bin", split.Train.Name, StringComparison.Ordinal);
    }
}
