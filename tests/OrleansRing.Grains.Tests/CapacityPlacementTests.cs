using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Compute;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Grains.Tests;

/// <summary>
/// Worker placement in a real in-process cluster whose silos declare different capacities: two GPU silos (1 GPU × 2
/// slots, 2 GPUs × 1 slot) and a CPU silo with 3 slots. Where each worker activation lands is read from Orleans'
/// management grain.
/// </summary>
public sealed class CapacityPlacementTests : IAsyncLifetime
{
    private static readonly SiloCapacity[] s_declared = [new(gpus: 0, slotsPerDevice: 3), new(gpus: 1, slotsPerDevice: 2), new(gpus: 2, slotsPerDevice: 1)];

    private readonly string _chunks = Path.Combine(Path.GetTempPath(), $"orleansring-placement-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, SiloCapacity> _capacityBySiloName = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)s_declared.Length);
        builder.ConfigureSilo((options, silo) =>
        {
            var capacity = _capacityBySiloName.GetOrAdd(options.SiloName, _ => s_declared[_capacityBySiloName.Count % s_declared.Length]);
            silo.AddOrleansRing(chunkStore: new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = _chunks }, capacity: capacity);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await WaitUntilEverySiloKnowsEveryCapacityAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        if (Directory.Exists(_chunks))
        {
            Directory.Delete(_chunks, recursive: true);
        }
    }

    [Fact]
    public async Task Workers_FillGpuSilosSlotsFirst_ThenTheCpuSilo_InConsecutiveRanks()
    {
        var placement = await PlaceAsync("fill", workers: 6);

        // 4 GPU slots (2 + 2) take ranks 0-3; the CPU silo takes the rest.
        var gpuRanks = placement.Where(p => p.Value.HasGpu).Select(p => p.Key).Order().ToArray();
        var cpuRanks = placement.Where(p => !p.Value.HasGpu).Select(p => p.Key).Order().ToArray();
        Assert.Equal([0, 1, 2, 3], gpuRanks);
        Assert.Equal([4, 5], cpuRanks);
        foreach (var silo in placement.GroupBy(p => p.Value))
        {
            Assert.True(silo.Count() <= silo.Key.Slots, $"{silo.Count()} workers on a silo with {silo.Key}");
            var ranks = silo.Select(p => p.Key).Order().ToArray();
            Assert.Equal(Enumerable.Range(ranks[0], ranks.Length), ranks);
        }
    }

    [Fact]
    public async Task ClusterCapacity_SumsTheSlotsEverySiloAdvertised()
    {
        var capacity = await _cluster.Client.GetGrain<IClusterCapacityGrain>(0).GetCapacityAsync();

        // 3 (CPU) + 1 GPU × 2 + 2 GPUs × 1: a grain counting its own silo's slots three times would say 9 or 6.
        Assert.Equal(s_declared.Length, capacity.ActiveSilos);
        Assert.Equal(s_declared.Sum(c => c.Slots), capacity.WorkerSlots);
        Assert.Equal(7, capacity.WorkerSlots);
        Assert.Equal(3, capacity.ExperimentsAtOnce(2));
    }

    [Fact]
    public async Task Workers_BeyondTheClustersSlots_ShareDevices_AndTheRingStillAgrees()
    {
        const int workers = 9; // 7 slots in all
        var placement = await PlaceAsync("wrap", workers);
        Assert.Equal(workers, placement.Count);
        // Slot r mod 7: ranks 7 and 8 wrap onto the first GPU silo's slots, with ranks 0 and 1.
        Assert.Equal(placement[0], placement[7]);
        Assert.Equal(placement[1], placement[8]);
        Assert.True(placement[0].HasGpu);

        var ring = Enumerable.Range(0, workers).Select(r => _cluster.Client.GetGrain<IWorkerGrain>(WorkerKey.For("wrap", r))).ToArray();
        var reports = await Task.WhenAll(ring.Select(w => w.RunAllReduceBenchmarkAsync(0)));
        Assert.Single(reports.Select(r => r.ResultHash).Distinct());
    }

    /// <summary>Activates an experiment's workers (as bench all-reduce does) and returns each rank's silo capacity.</summary>
    private async Task<Dictionary<int, SiloCapacity>> PlaceAsync(string experimentId, int workers)
    {
        var grains = Enumerable.Range(0, workers).Select(r => _cluster.Client.GetGrain<IWorkerGrain>(WorkerKey.For(experimentId, r))).ToArray();
        await Task.WhenAll(grains.Select((worker, rank) => worker.PrepareAllReduceBenchmarkAsync(new AllReduceBenchmarkAssignment
        {
            ExperimentId = experimentId,
            Rank = rank,
            Workers = workers,
            Floats = 64,
        })));
        var capacityBySilo = _cluster.Silos.ToDictionary(s => s.SiloAddress, DeclaredCapacity);
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var placement = new Dictionary<int, SiloCapacity>();
        foreach (var activation in statistics)
        {
            var key = activation.GrainId.Key.ToString()!;
            if (key.StartsWith(experimentId + "/", StringComparison.Ordinal))
            {
                placement.Add(WorkerKey.Parse(key).Rank, capacityBySilo[activation.SiloAddress]);
            }
        }
        Assert.Equal(workers, placement.Count);
        return placement;
    }

    private static SiloCapacity DeclaredCapacity(InProcessSiloHandle silo)
    {
        var metadata = silo.ServiceProvider.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;
        return SiloCapacity.TryRead(metadata, out var capacity) ? capacity! : throw new InvalidOperationException($"{silo.SiloAddress} declares no capacity.");
    }

    /// <summary>Silo metadata reaches the other silos' caches through membership updates, shortly after they join.</summary>
    private async Task WaitUntilEverySiloKnowsEveryCapacityAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var missing = (
                from placing in _cluster.Silos
                from other in _cluster.Silos
                where !SiloCapacity.TryRead(placing.ServiceProvider.GetRequiredService<ISiloMetadataCache>().GetSiloMetadata(other.SiloAddress).Metadata, out _)
                select $"{placing.SiloAddress} does not know {other.SiloAddress}").ToList();
            if (missing.Count == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Silo metadata did not spread within 60 s: {string.Join("; ", missing)}");
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
