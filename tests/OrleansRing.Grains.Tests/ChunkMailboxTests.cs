using OrleansRing.Abstractions;
using OrleansRing.Grains.Ring;

namespace OrleansRing.Grains.Tests;

public sealed class ChunkMailboxTests
{
    private static ChunkMessage Chunk(long iteration, RingPhase phase, int step, byte marker) => new()
    {
        ExperimentId = "mailbox",
        Iteration = iteration,
        Phase = phase,
        Step = step,
        ChunkIndex = 0,
        SenderRank = 0,
        Payload = new[] { marker },
    };

    [Fact]
    public async Task EarlyChunk_IsHeldUntilItsStep_AndHandedOutOnce()
    {
        var mailbox = new ChunkMailbox();
        mailbox.BeginIteration(0);

        Assert.True(mailbox.Deposit(Chunk(0, RingPhase.AllGather, 1, 7)));
        Assert.True(mailbox.Deposit(Chunk(0, RingPhase.ScatterReduce, 0, 3)));
        var scatter = await mailbox.ReceiveAsync(new RingStepKey(0, RingPhase.ScatterReduce, 0));
        var gather = await mailbox.ReceiveAsync(new RingStepKey(0, RingPhase.AllGather, 1));

        Assert.Equal(3, scatter.Payload.Span[0]);
        Assert.Equal(7, gather.Payload.Span[0]);
        Assert.False(mailbox.Deposit(Chunk(0, RingPhase.ScatterReduce, 0, 9)));
        Assert.Equal(1, mailbox.DuplicatesDropped);
    }

    [Fact]
    public async Task WaitingReceive_CompletesWithTheFirstCopy_AndIgnoresTheSecond()
    {
        var mailbox = new ChunkMailbox();
        mailbox.BeginIteration(4);
        var pending = mailbox.ReceiveAsync(new RingStepKey(4, RingPhase.ScatterReduce, 2));

        Assert.False(pending.IsCompleted);
        Assert.True(mailbox.Deposit(Chunk(4, RingPhase.ScatterReduce, 2, 1)));
        Assert.False(mailbox.Deposit(Chunk(4, RingPhase.ScatterReduce, 2, 2)));

        Assert.Equal(1, (await pending).Payload.Span[0]);
        Assert.Equal(1, mailbox.DuplicatesDropped);
    }

    [Fact]
    public void ChunkOfAnEarlierIteration_IsDropped()
    {
        var mailbox = new ChunkMailbox();
        mailbox.BeginIteration(0);
        Assert.True(mailbox.Deposit(Chunk(0, RingPhase.AllGather, 0, 1)));

        mailbox.BeginIteration(1);

        Assert.False(mailbox.Deposit(Chunk(0, RingPhase.ScatterReduce, 0, 1)));
        Assert.Equal(1, mailbox.StaleDropped);
        Assert.False(mailbox.ReceiveAsync(new RingStepKey(1, RingPhase.AllGather, 0)).IsCompleted);
    }
}
