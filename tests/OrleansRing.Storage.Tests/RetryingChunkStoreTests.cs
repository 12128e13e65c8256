using System.Diagnostics;

namespace OrleansRing.Storage.Tests;

public sealed class RetryingChunkStoreTests : IDisposable
{
    private static readonly ChunkStoreRetryPolicy FastPolicy = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        TimeLimit = TimeSpan.FromSeconds(5),
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("orleansring-retry-").FullName;
    private readonly FaultInjectingChunkStore _faulty;
    private readonly ChunkKey _key = TestPayloads.Chunk("retry");

    public RetryingChunkStoreTests()
    {
        _faulty = new FaultInjectingChunkStore(new FolderChunkStore(_folder));
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TransientFailures_ThenSuccess_Completes()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy);
        _faulty.ThenTransient(3);

        await store.PutChunkAsync(_key, new byte[] { 1, 2, 3 }, Ct);
        _faulty.ThenTransient(2);
        var read = await store.GetChunkAsync(_key, Ct);

        Assert.Equal(new byte[] { 1, 2, 3 }, read);
        Assert.Equal(4 + 3, _faulty.Calls);
    }

    [Fact]
    public async Task IntegrityError_IsNotRetried()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy);
        _faulty.Then(new ChunkIntegrityException("fake://store", "b", "scripted"));

        await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(_key, Ct));

        Assert.Equal(1, _faulty.Calls);
    }

    [Fact]
    public async Task NotFound_IsNotRetried()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy);

        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetChunkAsync(_key, Ct));

        Assert.Equal(1, _faulty.Calls);
    }

    [Fact]
    public async Task UnavailableBeyondLimit_ThrowsUnreachableNamingEndpointAndLimit()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy with { TimeLimit = TimeSpan.FromMilliseconds(400) });
        _faulty.AlwaysTransient();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChunkStoreUnreachableException>(() => store.PutChunkAsync(_key, new byte[] { 1 }, Ct));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Contains("fake://store was unreachable for longer than the 0.4 s retry limit", error.Message, StringComparison.Ordinal);
        Assert.Contains(_key.ToBlobName(), error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused (scripted)", error.Message, StringComparison.Ordinal);
        Assert.IsType<ChunkStoreUnavailableException>(error.InnerException);
        Assert.True(_faulty.Calls > 3);
    }

    [Fact]
    public async Task AttemptHangingPastLimit_IsCancelled_ThrowsUnreachable()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy with { TimeLimit = TimeSpan.FromMilliseconds(300) });
        _faulty.ThenTransient().ThenHang();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChunkStoreUnreachableException>(() => store.GetChunkAsync(_key, Ct));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Contains("longer than the 0.3 s retry limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellation_IsNotReportedAsUnreachable()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy);
        _faulty.ThenHang();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetChunkAsync(_key, cancel.Token));
    }

    [Fact]
    public async Task EnsureReachable_FailsFast_WithoutRetry()
    {
        var store = new RetryingChunkStore(_faulty, FastPolicy);
        _faulty.ThenTransient(5);

        await Assert.ThrowsAsync<ChunkStoreUnavailableException>(() => store.EnsureReachableAsync(Ct));

        Assert.Equal(1, _faulty.Calls);
    }

    [Fact]
    public void Policy_Delays_GrowThenCap()
    {
        var policy = new ChunkStoreRetryPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            Jitter = 0,
        };

        var delays = Enumerable.Range(1, 5).Select(a => policy.GetDelay(a).TotalMilliseconds).ToArray();

        Assert.Equal([100, 200, 400, 500, 500], delays, (a, b) => Math.Abs(a - b) < 0.001);
    }

    [Fact]
    public void Policy_Jitter_StaysWithinBounds()
    {
        var random = new Random(3);
        var delays = Enumerable.Range(0, 200).Select(_ => ChunkStoreRetryPolicy.Default.GetDelay(1, random).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 160, 240));
        Assert.True(delays.Distinct().Count() > 100);
    }

    [Fact]
    public void Policy_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkStoreRetryPolicy { TimeLimit = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkStoreRetryPolicy { InitialDelay = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkStoreRetryPolicy { BackoffFactor = 0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkStoreRetryPolicy { Jitter = 1 });
    }
}
