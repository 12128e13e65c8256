namespace OrleansRing.Storage.Tests;

public sealed class ChunkKeyTests
{
    [Fact]
    public void ToBlobName_FollowsDocumentedScheme()
    {
        var key = new ChunkKey("resnet-a", 12, RingPhase.ScatterReduce, 2, 3, 4, 1);

        Assert.Equal("resnet-a/00000012/scatter-reduce/002/003-004/0001", key.ToBlobName());
        Assert.Equal("resnet-a/00000000/allgather/000/000-000/0000", new ChunkKey("resnet-a", 0, RingPhase.AllGather, 0, 0, 0, 0).ToBlobName());
    }

    [Theory]
    [InlineData("e", 0L, RingPhase.ScatterReduce, 0, 0, 1, 0)]
    [InlineData("exp_1-b", 99_999_999L, RingPhase.AllGather, 999, 999, 998, 9999)]
    [InlineData("0", 42L, RingPhase.AllGather, 7, 5, 6, 12)]
    public void Parse_OfBlobName_RoundTrips(string experiment, long iteration, RingPhase phase, int step, int sender, int receiver, int chunk)
    {
        var key = new ChunkKey(experiment, iteration, phase, step, sender, receiver, chunk);

        var parsed = ChunkKey.Parse(key.ToBlobName());

        Assert.Equal(key, parsed);
        Assert.Equal(key.ToBlobName(), parsed.ToBlobName());
    }

    [Theory]
    [InlineData("exp/12/scatter-reduce/002/003-004/0001")]
    [InlineData("exp/00000012/scatter/002/003-004/0001")]
    [InlineData("exp/00000012/scatter-reduce/2/003-004/0001")]
    [InlineData("exp/00000012/scatter-reduce/002/003_004/0001")]
    [InlineData("exp/00000012/scatter-reduce/002/003-004/1")]
    [InlineData("exp/00000012/scatter-reduce/002/003-004/0001/extra")]
    [InlineData("exp/checkpoints/00000012/001")]
    [InlineData("Exp/00000012/scatter-reduce/002/003-004/0001")]
    [InlineData("exp/0000001a/scatter-reduce/002/003-004/0001")]
    [InlineData("exp/00000012/scatter-reduce/002/+03-004/0001")]
    [InlineData("")]
    public void Parse_MalformedName_ThrowsFormatExceptionQuotingName(string name)
    {
        var error = Assert.Throws<FormatException>(() => ChunkKey.Parse(name));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.False(ChunkKey.TryParse(name, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("-leading")]
    [InlineData("_leading")]
    [InlineData("has/slash")]
    [InlineData("has.dot")]
    [InlineData("..")]
    [InlineData("space here")]
    [InlineData("ünïcode")]
    public void Constructor_InvalidExperimentId_ThrowsNamingTheRule(string experimentId)
    {
        var error = Assert.Throws<ArgumentException>(() => TestPayloads.Chunk(experimentId));

        Assert.Equal(nameof(ChunkKey.ExperimentId), error.ParamName);
        Assert.Contains("a-z, 0-9, '-' and '_'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TooLongExperimentId_Throws()
    {
        Assert.NotNull(TestPayloads.Chunk(new string('a', ExperimentIds.MaxLength)));
        var error = Assert.Throws<ArgumentException>(() => TestPayloads.Chunk(new string('a', ExperimentIds.MaxLength + 1)));
        Assert.Contains("65 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NumbersOutsideFixedWidths_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", iteration: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", iteration: ChunkKey.MaxIteration + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", step: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", sender: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", receiver: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", chunk: 10_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPayloads.Chunk("e", phase: (RingPhase)7));
    }

    [Fact]
    public void With_InvalidValue_IsCheckedToo()
    {
        var key = TestPayloads.Chunk("e");

        Assert.Throws<ArgumentException>(() => key with { ExperimentId = "Bad" });
        Assert.Throws<ArgumentOutOfRangeException>(() => key with { Step = -1 });
    }

    [Fact]
    public void BlobNames_SortLikeNumbers()
    {
        var names = new[] { 9L, 10L, 100L, 2L }.Select(i => TestPayloads.Chunk("e", iteration: i).ToBlobName()).Order(StringComparer.Ordinal);

        Assert.Equal([2L, 9L, 10L, 100L], names.Select(n => ChunkKey.Parse(n).Iteration));
    }

    [Fact]
    public void Prefixes_EndWithSlash()
    {
        Assert.Equal("e/", ChunkKey.ExperimentPrefix("e"));
        Assert.Equal("e/00000003/", ChunkKey.IterationPrefix("e", 3));
        Assert.Equal("e/checkpoints/", CheckpointKey.Prefix("e"));
        Assert.Throws<ArgumentException>(() => ChunkKey.ExperimentPrefix("E"));
    }

    [Fact]
    public void CheckpointKey_RoundTripsAndRejectsChunkNames()
    {
        var key = new CheckpointKey("resnet-a", 100, 2);

        Assert.Equal("resnet-a/checkpoints/00000100/002", key.ToBlobName());
        Assert.Equal(key, CheckpointKey.Parse(key.ToBlobName()));
        Assert.False(CheckpointKey.TryParse("resnet-a/00000100/allgather/000/000-001/0000", out _));
        Assert.Throws<FormatException>(() => CheckpointKey.Parse("resnet-a/checkpoints/100/2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointKey("e", 0, 1000));
    }
}
