using System.Diagnostics;

namespace OrleansRing.Storage.Tests;

/// <summary>
/// Put and get latency of a ring-sized chunk (440 KiB: ~110 k float32 gradients) on each store. Skipped unless
/// ORLEANSRING_STORAGE_BENCH=1, so the normal suite stays short; figures go to the test output:
/// <c>ORLEANSRING_STORAGE_BENCH=1 dotnet test tests/OrleansRing.Storage.Tests -c Release --filter FullyQualifiedName~Throughput --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class ChunkStoreThroughputTests(AzuriteFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int ChunkBytes = 440 * 1024;
    private const int Warmup = 10;
    private const int Rounds = 100;

    private readonly string _folder = Directory.CreateTempSubdirectory("orleansring-bench-").FullName;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public Task Throughput_FolderStore() => MeasureAsync(new FolderChunkStore(_folder), "folder");

    [Fact]
    public Task Throughput_FolderStoreFlushed() => MeasureAsync(new FolderChunkStore(_folder, flushToDisk: true), "folder+fsync");

    [Fact]
    public Task Throughput_AzureBlobStoreOnAzurite() =>
        MeasureAsync(new AzureBlobChunkStore(fixture.Require().ConnectionString, "bench"), "azurite");

    private async Task MeasureAsync(IChunkStore store, string name)
    {
        if (Environment.GetEnvironmentVariable("ORLEANSRING_STORAGE_BENCH") != "1")
        {
            Assert.Skip("Benchmark: set ORLEANSRING_STORAGE_BENCH=1 to run it.");
        }
        await store.EnsureReachableAsync(Ct);
        var experiment = TestPayloads.NewExperimentId();
        var payload = TestPayloads.Random(ChunkBytes);
        var puts = new List<double>();
        var gets = new List<double>();
        var clock = new Stopwatch();
        for (var round = 0; round < Warmup + Rounds; round++)
        {
            var key = TestPayloads.Chunk(experiment, iteration: round);
            clock.Restart();
            await store.PutChunkAsync(key, payload, Ct);
            var put = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var read = await store.GetChunkAsync(key, Ct);
            var get = clock.Elapsed.TotalMilliseconds;
            Assert.Equal(ChunkBytes, read.Length);
            if (round >= Warmup)
            {
                puts.Add(put);
                gets.Add(get);
            }
        }
        await store.DeleteExperimentAsync(experiment, Ct);

        var pairs = puts.Zip(gets, (p, g) => p + g).ToList();
        output.WriteLine($"{name}: {Rounds} rounds of a {ChunkBytes / 1024} KiB chunk");
        output.WriteLine($"  put      median {Median(puts):0.00} ms  p90 {P90(puts):0.00} ms  {Rate(Median(puts)):0} MB/s");
        output.WriteLine($"  get      median {Median(gets):0.00} ms  p90 {P90(gets):0.00} ms  {Rate(Median(gets)):0} MB/s");
        output.WriteLine($"  put+get  median {Median(pairs):0.00} ms  p90 {P90(pairs):0.00} ms  {Rate(Median(pairs)):0} MB/s of chunk");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double P90(List<double> values) => values.Order().ElementAt(values.Count * 9 / 10);

    private static double Rate(double milliseconds) => ChunkBytes / 1e6 / (milliseconds / 1000);
}
