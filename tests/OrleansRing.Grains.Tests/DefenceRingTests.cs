using OrleansRing.Abstractions;
using OrleansRing.Collectives;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DefenceRingTests(ClusterFixture fixture)
{
    private const int Workers = SmallRing.Workers;
    private const int Floats = SmallRing.Floats;

    [Theory]
    [InlineData("median")]
    [InlineData("trimmed-mean:f=1")]
    public async Task CoordinateWiseRules_AtTheChunkOwners_EqualTheRuleOnTheFullGradients(string defence)
    {
        var reports = await RunBareRingAsync(defence);

        var inputs = SmallRing.Inputs();
        var expected = new float[Floats];
        var column = new float[Workers];
        for (var k = 0; k < Floats; k++)
        {
            for (var r = 0; r < Workers; r++)
            {
                column[r] = inputs[r][k];
            }
            Array.Sort(column);
            // Four workers: the median is the mean of the middle two, and so is the trimmed mean with f = 1.
            expected[k] = (float)(((double)column[1] + column[2]) / 2);
        }
        Assert.All(reports, r => Assert.Equal(SmallRing.Hash(expected), r.ResultHash));
        var mean = SmallRing.Inputs();
        RingAllReduceSimulator.AllReduceMean(mean);
        Assert.NotEqual(SmallRing.Hash(mean[0]), reports[0].ResultHash);
        // Coordinate-wise rules need no statistics round; only the default outlier detection's: 4 distances to 3 owners.
        Assert.All(reports, r => Assert.Equal(3 * Workers * sizeof(double), r.DefenceBytesSent));
    }

    [Fact]
    public async Task Krum_AtTheOwners_PicksOneWholeContribution_FromChunkAssembledDistances()
    {
        var reports = await RunBareRingAsync("krum:pre=none,flag-after=0");

        var inputs = SmallRing.Inputs();
        Assert.All(reports, r => Assert.Equal(reports[0].ResultHash, r.ResultHash));
        Assert.Contains(reports[0].ResultHash, inputs.Select(SmallRing.Hash));
        // One round of 6 pairwise distances to 3 other owners.
        Assert.All(reports, r => Assert.Equal(3 * 6 * sizeof(double), r.DefenceBytesSent));
    }

    [Fact]
    public async Task AllGatherForgery_IsDetectedEveryIteration_TheForgerNamed_NoHonestRank_AndRepaired()
    {
        var config = SmallRing.Training("commitments") with { Attack = "ring-dissensus", AttackerRanks = "1", Defence = "allgather-commitments:exclude=false", Iterations = 3 };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.Equal([0, 1, 2], result.Detections.Select(d => d.Iteration).Distinct().Order());
        Assert.All(result.Detections, d => Assert.Equal(1, d.Rank));
        Assert.Empty(result.HonestRanksNamed);
        Assert.Empty(result.Exclusions);
        // Repairs from the owners keep every honest replica identical despite the forgery.
        Assert.True(result.ReplicasIdentical);
        Assert.Single(result.ParameterHashes.Where((_, rank) => rank != 1).Distinct());
        Assert.True(result.DefenceExtraBytesPerWorkerPerIteration > result.DeclaredDefenceExtraBytesPerWorkerPerIteration);
    }

    [Fact]
    public async Task ReplicaConsistency_NamesTheForgerEveryIteration_AndRepairs()
    {
        var config = SmallRing.Training("consistency") with { Attack = "ring-dissensus", AttackerRanks = "2", Defence = "replica-consistency:exclude=false", Iterations = 2 };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.Equal([0, 1], result.Detections.Select(d => d.Iteration).Distinct().Order());
        Assert.All(result.Detections, d => Assert.Equal(2, d.Rank));
        Assert.True(result.ReplicasIdentical);
    }

    [Fact]
    public async Task Exclusion_RebuildsAWorkingRingOfNMinusOne_AndTrainingContinues()
    {
        var config = SmallRing.Training("exclusion") with { Attack = "nan", AttackerRanks = "2", Defence = "non-finite-rejection", Iterations = 4, EvaluationInterval = 1 };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        var exclusion = Assert.Single(result.Exclusions);
        Assert.Equal(2, exclusion.Rank);
        Assert.Equal(0, exclusion.Iteration);
        Assert.Equal(Workers - 1, exclusion.RingSize);
        Assert.Equal([Workers, Workers - 1, Workers - 1, Workers - 1], result.Iterations.Select(m => m.RingSize));
        Assert.All(result.Detections, d => Assert.Equal(2, d.Rank));
        Assert.True(result.ReplicasIdentical);
        Assert.All(result.Iterations, m => Assert.True(double.IsFinite(m.TrainLoss)));
        Assert.True(double.IsFinite(result.FinalTestLoss!.Value));
        // Evaluated every iteration: the honest replicas agreed before and after the ring was rebuilt.
        Assert.Equal(4, result.Iterations.Count(m => m.ReplicasIdentical == true));
    }

    [Fact]
    public async Task SignVote_OnTheAveragedGradient_KeepsEveryReplicaIdentical()
    {
        // The aggregate hook rewrites the whole gradient right after allgather, while a successor on the same silo may
        // still hold the last chunk sent as a slice of it.
        var config = SmallRing.Training("sign-vote") with { Defence = "sign-vote", Iterations = 4, EvaluationInterval = 1 };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.All(result.Iterations, m => Assert.True(m.ReplicasIdentical));
        Assert.Empty(result.Detections);
    }

    [Fact]
    public async Task SignVote_AnAttackerScalingItsVotes_IsNamedEveryIteration_NoHonestRank()
    {
        // The attack acts after the protocol's sign transform: −4·sign(g) are impossible vote counts, not a flipped vote.
        var config = SmallRing.Training("sign-vote-ascent") with { Defence = "sign-vote:exclude=false", Attack = "gradient-ascent", AttackerRanks = "1", Iterations = 3, EvaluationInterval = 1 };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.Equal([0, 1, 2], result.Detections.Select(d => d.Iteration).Distinct().Order());
        Assert.All(result.Detections, d => Assert.Equal(1, d.Rank));
        Assert.Empty(result.HonestRanksNamed);
        Assert.All(result.Iterations, m => Assert.True(m.ReplicasIdentical));
    }

    [Fact]
    public async Task UnknownDefence_IsRejectedListingTheDefences()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Grains.GetGrain<IRingCoordinatorGrain>("unknown-defence-1").StartAsync(SmallRing.Training("unknown-defence-1", unique: false) with { Defence = "medain" }));

        Assert.Contains("median", error.Message);
    }

    private async Task<AllReduceBenchmarkReport[]> RunBareRingAsync(string defence)
    {
        var id = $"defence-{Guid.NewGuid():N}";
        var ring = Enumerable.Range(0, Workers).Select(r => fixture.Grains.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
        await Task.WhenAll(ring.Select((w, r) => w.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment
        {
            ExperimentId = id,
            Rank = r,
            Workers = Workers,
            Floats = Floats,
            Defence = defence,
        })));
        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));
        await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
        return reports;
    }
}
