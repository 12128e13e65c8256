using OrleansRing.Abstractions;
using OrleansRing.Collectives;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AttackRingTests(ClusterFixture fixture)
{
    private const int Workers = SmallRing.Workers;
    private const int Floats = SmallRing.Floats;

    [Fact]
    public async Task ContributionAttack_RingMeanIsTheMeanWithTheAttackersVectorReplaced()
    {
        var reports = await RunBareRingAsync("gradient-flipping", attacker: 2);

        var vectors = SmallRing.Inputs();
        for (var i = 0; i < Floats; i++)
        {
            vectors[2][i] = -vectors[2][i];
        }
        RingAllReduceSimulator.AllReduceMean(vectors);
        Assert.All(reports, r => Assert.Equal(SmallRing.Hash(vectors[0]), r.ResultHash));
    }

    [Fact]
    public async Task PartialSumZeroing_ErasesExactlyThePredecessorsContributions()
    {
        const int attacker = 1;
        var reports = await RunBareRingAsync("partial-sum-zero", attacker);

        // Chunk c is accumulated c, c+1, ..., c+N−1 around the ring; zeroing what the attacker forwards drops
        // every contribution up to and including the attacker's. The chunk the attacker owns is untouched.
        var inputs = SmallRing.Inputs();
        var layout = new ChunkLayout(Floats, Workers);
        var expected = new float[Floats];
        for (var chunk = 0; chunk < Workers; chunk++)
        {
            var order = Enumerable.Range(0, Workers).Select(k => (chunk + k) % Workers).ToList();
            var survivors = RingSchedule.OwnerOf(chunk, Workers) == attacker ? order : order.Skip(order.IndexOf(attacker) + 1).ToList();
            var sum = new float[layout.ChunkLength(chunk)];
            foreach (var contributor in survivors)
            {
                ChunkArithmetic.Add(sum, layout.Slice(inputs[contributor].AsSpan(), chunk));
            }
            ChunkArithmetic.Divide(sum, Workers);
            sum.CopyTo(layout.Slice(expected.AsSpan(), chunk));
        }
        Assert.All(reports, r => Assert.Equal(SmallRing.Hash(expected), r.ResultHash));
        var undisturbed = SmallRing.Inputs();
        RingAllReduceSimulator.AllReduceMean(undisturbed);
        Assert.NotEqual(SmallRing.Hash(undisturbed[0]), reports[0].ResultHash);
    }

    [Fact]
    public async Task AllGatherForgery_MakesHonestReplicasDiverge_AndTheResultSaysSo()
    {
        var config = SmallRing.Training("dissensus") with { Attack = "ring-dissensus", AttackerRanks = "1" };

        var result = await ExperimentPolling.RunToEndAsync(fixture.Grains, config);

        Assert.Equal(ExperimentState.Completed, result.State);
        Assert.False(result.ReplicasIdentical);
        Assert.Equal([1], result.AttackerRanks);
        Assert.StartsWith("ring-dissensus:", result.Attack);
        Assert.True(result.ParameterHashes.Where((_, rank) => rank != 1).Distinct().Count() > 1);
    }

    [Fact]
    public async Task OmniscientAttack_SeesHonestGradients_AndIsRecorded()
    {
        var attacked = await ExperimentPolling.RunToEndAsync(fixture.Grains, SmallRing.Training("alie") with { Attack = "alie", AttackerCount = 1 });
        var clean = await ExperimentPolling.RunToEndAsync(fixture.Grains, SmallRing.Training("clean"));

        Assert.Equal(ExperimentState.Completed, attacked.State);
        Assert.True(attacked.OmniscientAttack);
        Assert.Single(attacked.AttackerRanks);
        Assert.True(attacked.ReplicasIdentical);
        var honestRank = Enumerable.Range(0, Workers).First(r => !attacked.AttackerRanks.Contains(r));
        Assert.NotEqual(clean.ParameterHashes[honestRank], attacked.ParameterHashes[honestRank]);
    }

    [Fact]
    public async Task UnknownAttackOrParameter_IsRejectedListingWhatIsValid()
    {
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Grains.GetGrain<IRingCoordinatorGrain>("unknown-attack-1").StartAsync(SmallRing.Training("unknown-attack-1", unique: false) with { Attack = "gradient-flopping", AttackerCount = 1 }));
        var parameter = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Grains.GetGrain<IRingCoordinatorGrain>("unknown-attack-2").StartAsync(SmallRing.Training("unknown-attack-2", unique: false) with { Attack = "gradient-ascent:scael=2", AttackerCount = 1 }));

        Assert.Contains("gradient-flipping", unknown.Message);
        Assert.Contains("scale", parameter.Message);
    }

    private async Task<AllReduceBenchmarkReport[]> RunBareRingAsync(string attack, int attacker)
    {
        var id = $"attack-{attack}-{Guid.NewGuid():N}";
        var ring = Enumerable.Range(0, Workers).Select(r => fixture.Grains.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
        await Task.WhenAll(ring.Select((w, r) => w.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment
        {
            ExperimentId = id,
            Rank = r,
            Workers = Workers,
            Floats = Floats,
            Attack = attack,
            AttackerRanks = [attacker],
        })));
        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));
        await Task.WhenAll(ring.Select(w => w.ReleaseAsync()));
        return reports;
    }
}
