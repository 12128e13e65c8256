using OrleansRing.Collectives;

namespace OrleansRing.Collectives.Tests;

public sealed class ChunkLayoutTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (var n in Enumerable.Range(1, 16))
        {
            foreach (var length in new[] { 1, 2, 3, n - 1, n, n + 1, 2 * n + 3, 97, 1000, 878_538 }.Where(l => l >= 1).Distinct())
            {
                data.Add(length, n);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Chunks_TileTheVector_ContiguouslyAndNearEqually(int length, int chunks)
    {
        var layout = new ChunkLayout(length, chunks);

        var expectedOffset = 0;
        var lengths = new List<int>();
        for (var c = 0; c < chunks; c++)
        {
            Assert.Equal(expectedOffset, layout.Offset(c));
            expectedOffset += layout.ChunkLength(c);
            lengths.Add(layout.ChunkLength(c));
        }

        Assert.Equal(length, expectedOffset);
        Assert.True(lengths.Max() - lengths.Min() <= 1, $"chunk lengths {string.Join(",", lengths)} differ by more than one");
        Assert.Equal(lengths.Max(), layout.MaxChunkLength);
        Assert.Equal(lengths, lengths.OrderByDescending(l => l));
    }

    [Fact]
    public void ChunkIndex_OutOfRange_IsRejected()
    {
        var layout = new ChunkLayout(10, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => layout.Offset(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.ChunkLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkLayout(0, 3));
    }
}
