using System.Diagnostics;
using System.Security.Cryptography;

namespace OrleansRing.Data.Tests;

/// <summary>The real CIFAR-10 subset in shared/ beside the repository; skipped where it is absent.</summary>
public sealed class RealCifar10SubsetTests
{
    // From shared/data/cifar10/README.md: sha256 of the unpacked batch files.
    private const string DataBatch1Sha256 = "493903d1c9b135af4f08e7295beaf8ce5de7a258b7497142e1dfb78a7dd81e35";
    private const string TestBatchSha256 = "3720c9d09c51afb2dd0a15d16addc8bb183033b2b22ae73391252020fa266db8";

    [Fact]
    public void Load_SubsetArchive_ReadsEveryRecordExactly()
    {
        // Arrange
        var archive = RepositoryPaths.FindCifar10Subset();
        if (archive is null)
        {
            Assert.Skip("The CIFAR-10 subset (../shared/data/cifar10/cifar-10-subset-binary.tar.gz beside the repository root) is not on this machine.");
        }

        // Act
        var watch = Stopwatch.StartNew();
        var split = Cifar10BinaryReader.Load(archive);
        watch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"{split.Description} loaded in {watch.ElapsedMilliseconds} ms");

        // Assert
        Assert.Equal("CIFAR-10 binary (cifar-10-subset-binary.tar.gz): 10000 train, 10000 test", split.Description);
        Assert.Equal(10000, split.Train.Count);
        Assert.Equal(10000, split.Test.Count);
        Assert.All(ClassCounts(split.Test), count => Assert.Equal(1000, count));
        Assert.All(ClassCounts(split.Train), count => Assert.InRange(count, 1, 9999));
        // Writing the records back must give the published files byte for byte.
        Assert.Equal(DataBatch1Sha256, Sha256OfRecords(split.Train));
        Assert.Equal(TestBatchSha256, Sha256OfRecords(split.Test));
    }

    private static int[] ClassCounts(ImageDataset dataset) =>
        DataPartitioner.ClassCounts(dataset.Labels, dataset.ClassCount, [.. Enumerable.Range(0, dataset.Count)]);

    private static string Sha256OfRecords(ImageDataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < dataset.Count; i++)
        {
            hash.AppendData(dataset.Labels.Slice(i, 1));
            hash.AppendData(dataset.Image(i));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
