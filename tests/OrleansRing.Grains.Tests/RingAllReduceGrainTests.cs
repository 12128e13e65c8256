using Microsoft.Extensions.DependencyInjection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OrleansRing.Abstractions;
using OrleansRing.Collectives;
using OrleansRing.Grains.Ring;

namespace OrleansRing.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RingAllReduceGrainTests(ClusterFixture fixture)
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 1, 100 }, { 2, 1 }, { 2, 7 }, { 3, 2 }, { 3, 1000 }, { 5, 4099 }, { 8, 5 }, { 8, 878 }, { 16, 3 }, { 16, 10_007 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AllReduce_AcrossSilos_EqualsTheSimulatorBitForBit(int workers, int floats)
    {
        var ring = await PrepareAsync(workers, floats);
        var expected = ExpectedMeanHash(workers, floats);

        var first = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));
        var second = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(1)));

        Assert.All(first, r => Assert.Equal(expected, r.ResultHash));
        Assert.All(second, r => Assert.Equal(expected, r.ResultHash));
        var layout = new ChunkLayout(floats, workers);
        Assert.All(first, r => Assert.Equal(2L * (workers - 1) * floats / workers, r.BytesSent / sizeof(float), 1.0 * workers));
        Assert.Equal(2L * (workers - 1) * floats * sizeof(float), first.Sum(r => r.BytesSent));
        Assert.Equal(floats, Enumerable.Range(0, workers).Sum(layout.ChunkLength));
    }

    [Fact]
    public async Task AllReduce_BetweenSilos_TravelsTheDataPlane_OneFramePerCrossSiloHopAndStep()
    {
        const int workers = 8;
        const int floats = 4099;
        var ring = await PrepareAsync(workers, floats);
        var silos = await SiloOfEachRankAsync(Id(ring), workers);
        var crossing = Enumerable.Range(0, workers).Count(r => silos[r] != silos[(r + 1) % workers]);
        var planes = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<ChunkDataPlane>()).ToArray();
        // The first all-reduce also learns each successor's endpoint; count from the second.
        await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));
        var before = planes.Sum(p => p.FramesDelivered);

        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(1)));

        Assert.True(crossing > 0, "every worker landed in one silo: nothing crosses");
        Assert.All(planes, p => Assert.True(p.Enabled));
        Assert.Equal(crossing * 2L * (workers - 1), planes.Sum(p => p.FramesDelivered) - before);
        Assert.All(reports, r => Assert.Equal(ExpectedMeanHash(workers, floats), r.ResultHash));
    }

    [Fact]
    public async Task ReceiveChunk_FromTheWrongSender_IsRejected()
    {
        var ring = await PrepareAsync(4, 40);
        var message = Message(ring, sender: 2, chunk: RingSchedule.ScatterReduceReceiveChunk(1, 0, 4), bytes: 40);

        var error = await Assert.ThrowsAsync<RingProtocolException>(() => ring[1].ReceiveChunkAsync(message));

        Assert.Contains("accepts chunks only from rank 0", error.Message);
    }

    [Fact]
    public async Task ReceiveChunk_WithTheWrongChunkOrLength_IsRejected()
    {
        var ring = await PrepareAsync(4, 40);
        var expectedChunk = RingSchedule.ScatterReduceReceiveChunk(1, 0, 4);

        var wrongChunk = await Assert.ThrowsAsync<RingProtocolException>(() => ring[1].ReceiveChunkAsync(Message(ring, 0, (expectedChunk + 1) % 4, 40)));
        var wrongLength = await Assert.ThrowsAsync<RingProtocolException>(() => ring[1].ReceiveChunkAsync(Message(ring, 0, expectedChunk, 36)));

        Assert.Contains($"expected chunk {expectedChunk}", wrongChunk.Message);
        Assert.Contains("expected 40 bytes", wrongLength.Message);
    }

    [Fact]
    public async Task DuplicateChunk_BeforeTheStep_IsAppliedOnce()
    {
        const int workers = 3;
        const int floats = 30;
        var ring = await PrepareAsync(workers, floats);
        // Rank 0's first scatter-reduce chunk, delivered twice ahead of time, then again by the ring itself.
        var vector = new float[floats];
        BenchmarkVector.Fill(vector, 0);
        var layout = new ChunkLayout(floats, workers);
        var chunk = RingSchedule.ScatterReduceSendChunk(0, 0, workers);
        var payload = MemoryMarshal.AsBytes(layout.Slice(vector.AsSpan(), chunk)).ToArray();
        var duplicate = new ChunkMessage { ExperimentId = Id(ring), Iteration = 0, Phase = RingPhase.ScatterReduce, Step = 0, ChunkIndex = chunk, SenderRank = 0, Payload = payload };

        await ring[1].ReceiveChunkAsync(duplicate);
        await ring[1].ReceiveChunkAsync(duplicate);
        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));

        Assert.All(reports, r => Assert.Equal(ExpectedMeanHash(workers, floats), r.ResultHash));
    }

    [Theory]
    [InlineData(4, 40)]
    [InlineData(16, 10_007)]
    public async Task TimedAllReduce_BetweenResets_EqualsTheSimulatorEveryTime(int workers, int floats)
    {
        var ring = await PrepareAsync(workers, floats);
        var expected = ExpectedMeanHash(workers, floats);

        for (var i = 0; i < 3; i++)
        {
            var reports = await Task.WhenAll(ring.Select(w => w.RunTimedAllReduceBenchmarkAsync(i)));
            var hashes = await Task.WhenAll(ring.Select(w => w.ResetAllReduceBenchmarkAsync()));

            Assert.All(hashes, h => Assert.Equal(expected, h));
            Assert.All(reports, r => Assert.True(r.Seconds > 0));
        }
    }

    [Fact]
    public async Task PostChunk_FromTheWrongSender_IsDroppedAndTheRingCompletes()
    {
        var ring = await PrepareAsync(4, 40);

        // One-way: nothing comes back to the sender, and the receiver must not let a stranger fail its iteration.
        await ring[1].PostChunkAsync(Message(ring, sender: 2, chunk: RingSchedule.ScatterReduceReceiveChunk(1, 0, 4), bytes: 40));
        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));

        Assert.All(reports, r => Assert.Equal(ExpectedMeanHash(4, 40), r.ResultHash));
    }

    [Fact]
    public async Task PostChunk_FromThePredecessorWithTheWrongLength_FailsTheReceiversIteration()
    {
        var ring = await PrepareAsync(4, 40, TimeSpan.FromSeconds(3));
        var expectedChunk = RingSchedule.ScatterReduceReceiveChunk(1, 0, 4);

        await ring[1].PostChunkAsync(Message(ring, 0, expectedChunk, 36));
        var runs = ring.Select(w => w.RunAllReduceBenchmarkAsync(0)).ToArray();
        await Assert.ThrowsAnyAsync<Exception>(() => Task.WhenAll(runs));

        var error = Assert.IsType<RingProtocolException>(runs[1].Exception!.GetBaseException());
        Assert.Contains("expected 40 bytes", error.Message);
    }

    private async Task<IWorkerGrain[]> PrepareAsync(int workers, int floats, TimeSpan? stepTimeout = null)
    {
        var id = $"allreduce-{workers}-{floats}-{Guid.NewGuid():N}";
        var ring = Enumerable.Range(0, workers).Select(r => fixture.Grains.GetGrain<IWorkerGrain>(WorkerKey.For(id, r))).ToArray();
        await Task.WhenAll(ring.Select((w, r) =>
        {
            var assignment = new AllReduceBenchmarkAssignment { ExperimentId = id, Rank = r, Workers = workers, Floats = floats };
            return w.PrepareAllReduceBenchmarkAsync(stepTimeout is { } timeout ? assignment with { StepTimeout = timeout } : assignment);
        }));
        return ring;
    }

    private async Task<Dictionary<int, SiloAddress>> SiloOfEachRankAsync(string experimentId, int workers)
    {
        var statistics = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var silos = statistics
            .Where(a => a.GrainId.Key.ToString()!.StartsWith(experimentId + "/", StringComparison.Ordinal))
            .ToDictionary(a => WorkerKey.Parse(a.GrainId.Key.ToString()!).Rank, a => a.SiloAddress);
        Assert.Equal(workers, silos.Count);
        return silos;
    }

    private static string Id(IWorkerGrain[] ring) => WorkerKey.Parse(ring[0].GetPrimaryKeyString()).ExperimentId;

    private static ChunkMessage Message(IWorkerGrain[] ring, int sender, int chunk, int bytes) => new()
    {
        ExperimentId = Id(ring),
        Iteration = 0,
        Phase = RingPhase.ScatterReduce,
        Step = 0,
        ChunkIndex = chunk,
        SenderRank = sender,
        Payload = new byte[bytes],
    };

    private static string ExpectedMeanHash(int workers, int floats)
    {
        var vectors = Enumerable.Range(0, workers).Select(r =>
        {
            var v = new float[floats];
            BenchmarkVector.Fill(v, r);
            return v;
        }).ToArray();
        RingAllReduceSimulator.AllReduceMean(vectors);
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vectors[0].AsSpan())));
    }
}
