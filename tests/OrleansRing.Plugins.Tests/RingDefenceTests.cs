using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

public sealed class RingDefenceTests
{
    [Fact]
    public void NonFiniteRejection_ZeroesNaNAndInfinity_AndNamesTheSender()
    {
        var defence = Defences.Create("non-finite-rejection");
        var sink = new DetectionSink(4);
        float[] chunk = [1, float.NaN, float.PositiveInfinity, 2, float.NegativeInfinity];

        var verdict = defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 1), chunk);

        Assert.Equal(ReceiveVerdict.Accept, verdict);
        Assert.Equal([1, 0, 0, 2, 0], chunk);
        var flag = Assert.Single(sink.Flags);
        Assert.Equal(1, flag.Rank);
        Assert.True(flag.Exclude);
        Assert.Contains("3 of 5", flag.Reason);
    }

    [Fact]
    public void SignVote_QuantizesContributions_ThresholdsTheVote_AndClampsImpossibleCounts()
    {
        var defence = Defences.Create("sign-vote:scale=0.5,threshold=1");
        var sink = new DetectionSink(4);
        float[] gradient = [0.25f, -3, 0, float.NaN];
        float[] partial = [2, -2, 3, 1.5f];
        // After allgather each value is votes / 4: 3 votes, -1 vote, 0, 2 votes.
        float[] averaged = [0.75f, -0.25f, 0, 0.5f];

        defence.OnContribution(Defences.Context(0, 4, sink), gradient);
        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 3, contributors: 2), partial);
        defence.OnAggregate(Defences.Context(0, 4, sink), averaged);

        Assert.Equal([1, -1, 0, 0], gradient);
        Assert.Equal([2, -2, 2, 2], partial);
        Assert.Equal(3, Assert.Single(sink.Flags).Rank);
        Assert.Equal([0.5f, 0, 0, 0.5f], averaged);
    }

    [Fact]
    public void PartialSumClipping_ClipsASumAboveTheBound_AndPassesAnHonestOne()
    {
        var defence = Defences.Create("partial-sum-clipping:multiplier=2,decay=0");
        var sink = new DetectionSink(2);
        float[] own = [3, 4, 0, 0];
        defence.OnContribution(Defences.Context(0, 2, sink), own);
        float[] honest = [3, 4];
        float[] forged = [0, 0, 30, 40];

        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 1, contributors: 1, chunk: 0, offset: 0, total: 4, worldSize: 2), honest);
        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 1, contributors: 1, chunk: 1, offset: 0, total: 4, worldSize: 2), forged);

        Assert.Equal([3, 4], honest);
        // Bound 2·√1·‖own chunk 0‖ = 10 for the 50-long partial sum: scaled by 1/5.
        Assert.Equal([0, 0, 6, 8], forged);
        Assert.Equal(1, Assert.Single(sink.Flags).Rank);
    }

    [Fact]
    public void PartialSumClipping_BoundGrowsLinearlyWithContributors_SoAnAlignedHonestSumPasses()
    {
        var defence = Defences.Create("partial-sum-clipping:multiplier=1.5,decay=0");
        var sink = new DetectionSink(8);
        float[] own = [3, 4, 0, 0];
        defence.OnContribution(Defences.Context(0, 8, sink), own);
        // Four contributions equal to the receiver's own chunk: norm 4·5 = 20, inside 1.5·4·5 = 30 (a √k bound, 15, would clip it).
        float[] aligned = [12, 16];
        // Seven contributions, one of them 100 per coordinate: norm far above 1.5·7·5 = 52.5.
        float[] poisoned = [121, 128];

        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 3, contributors: 4, chunk: 0, offset: 0, total: 4, worldSize: 8), aligned);
        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 6, contributors: 7, chunk: 0, offset: 0, total: 4, worldSize: 8, iteration: 1), poisoned);

        Assert.Equal([12, 16], aligned);
        Assert.Equal(52.5, Math.Sqrt((poisoned[0] * poisoned[0]) + (poisoned[1] * poisoned[1])), 3);
        Assert.Equal(6, Assert.Single(sink.Flags).Rank);
    }

    [Fact]
    public void PartialSumClipping_ASumSlightlyAboveTheBound_IsClippedWithoutNamingItsSender()
    {
        var defence = Defences.Create("partial-sum-clipping:multiplier=1,decay=0");
        var sink = new DetectionSink(4);
        defence.OnContribution(Defences.Context(0, 4, sink), [3, 4]);
        // Norm 7.5 against the bound 1·1·5: clipped to the bound, but below flag-factor (2) × bound, so nobody is named.
        float[] slightlyLong = [4.5f, 6];

        defence.OnReceive(Receive(sink, DefencePhase.ScatterReduce, sender: 3, contributors: 1, chunk: 0, offset: 0, total: 2, worldSize: 4), slightlyLong);

        Assert.Equal([3, 4], slightlyLong);
        Assert.Empty(sink.Flags);
    }

    [Fact]
    public void AllGatherCommitments_AcceptTheCommittedChunk_RejectAForgedOne_NamingTheSender()
    {
        var defence = Defences.Create("allgather-commitments");
        var sink = new DetectionSink(4);
        float[] reduced = [1.5f, -2, 3];
        var commitments = new ReadOnlyMemory<byte>[4];
        commitments[2] = defence.Commit(Defences.Context(2, 4, sink, iteration: 5), 3, reduced);
        float[] forged = [1.5f, -2, 3.0001f];

        var good = defence.OnReceive(Receive(sink, DefencePhase.AllGather, sender: 0, chunk: 3, owner: 2, commitments: commitments, iteration: 5), (float[])reduced.Clone());
        var bad = defence.OnReceive(Receive(sink, DefencePhase.AllGather, sender: 0, chunk: 3, owner: 2, commitments: commitments, iteration: 5), forged);
        var replayed = defence.OnReceive(Receive(sink, DefencePhase.AllGather, sender: 1, chunk: 3, owner: 2, commitments: commitments, iteration: 6), (float[])reduced.Clone());

        Assert.Equal(ReceiveVerdict.Accept, good);
        Assert.Equal(ReceiveVerdict.Reject, bad);
        Assert.Equal(ReceiveVerdict.Reject, replayed);
        Assert.Equal([0, 1], sink.Flags.Select(f => f.Rank));
        Assert.Equal(32 * 3, defence.ExtraBytesPerIteration(4, 100));
    }

    [Fact]
    public void ReplicaConsistency_NamesTheForgerFromTheAllGatherPath_AndRepairsOnlyDivergedChunks()
    {
        // Four ranks, eight values: chunk c (2 values) is owned by rank c−1 and travels owner, owner+1, ...
        // Rank 1 forged chunk 0 (owner 3, path 3 → 0 → 1 → 2) when forwarding it, so only rank 2 holds the forgery.
        var defence = Defences.Create("replica-consistency");
        float[] truth = [1, 2, 3, 4, 5, 6, 7, 8];
        float[] forged = [9, 9, 3, 4, 5, 6, 7, 8];
        var attestations = Enumerable.Range(0, 4)
            .Select(rank => (ReadOnlyMemory<byte>)defence.Attest(Defences.Context(rank, 4), rank == 2 ? forged : truth))
            .ToArray();
        var atRank2 = new DetectionSink(4);
        var atRank0 = new DetectionSink(4);

        var repairs2 = defence.CompareAttestations(Defences.Context(2, 4, atRank2), attestations);
        var repairs0 = defence.CompareAttestations(Defences.Context(0, 4, atRank0), attestations);

        Assert.Equal([0], repairs2);
        Assert.Empty(repairs0);
        Assert.Equal(1, Assert.Single(atRank2.Flags).Rank);
        Assert.Equal(1, Assert.Single(atRank0.Flags).Rank);
    }

    private static ReceiveContext Receive(
        DetectionSink sink,
        DefencePhase phase,
        int sender,
        int contributors = 1,
        int chunk = 0,
        int offset = 0,
        int total = 8,
        int worldSize = 4,
        int owner = 0,
        IReadOnlyList<ReadOnlyMemory<byte>>? commitments = null,
        long iteration = 0) =>
        new(Defences.Context(0, worldSize, sink, iteration), phase, 0, sender, chunk, offset, total, contributors, owner, commitments);
}
