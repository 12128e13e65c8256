using OrleansRing.Collectives;

namespace OrleansRing.Collectives.Tests;

public sealed class RingScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    public void EveryReceive_MatchesThePredecessorsSend(int n)
    {
        for (var step = 0; step < RingSchedule.StepsPerPhase(n); step++)
        {
            for (var rank = 0; rank < n; rank++)
            {
                var predecessor = RingSchedule.Predecessor(rank, n);
                Assert.Equal(RingSchedule.ScatterReduceSendChunk(predecessor, step, n), RingSchedule.ScatterReduceReceiveChunk(rank, step, n));
                Assert.Equal(RingSchedule.AllGatherSendChunk(predecessor, step, n), RingSchedule.AllGatherReceiveChunk(rank, step, n));
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(16)]
    public void ScatterReduce_SendsEachOwnedChunkOnlyAfterItIsComplete(int n)
    {
        // The chunk a rank sends first in all-gather is the one it owns after scatter-reduce.
        for (var rank = 0; rank < n; rank++)
        {
            Assert.Equal(RingSchedule.OwnedChunk(rank, n), RingSchedule.AllGatherSendChunk(rank, 0, n));
            Assert.Equal(rank, RingSchedule.OwnerOf(RingSchedule.OwnedChunk(rank, n), n));
            Assert.Equal(RingSchedule.OwnedChunk(rank, n), RingSchedule.ScatterReduceReceiveChunk(rank, n - 2, n));
        }
    }

    [Fact]
    public void Neighbours_FormOneCycle()
    {
        const int n = 7;
        var seen = new HashSet<int>();
        var rank = 0;
        for (var i = 0; i < n; i++)
        {
            seen.Add(rank);
            rank = RingSchedule.Successor(rank, n);
        }

        Assert.Equal(0, rank);
        Assert.Equal(n, seen.Count);
        Assert.Equal(n - 1, RingSchedule.Predecessor(0, n));
    }
}
