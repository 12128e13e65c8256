using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Storage.Tests;

/// <summary>
/// The store going away under a running ring: a real Azurite killed and restarted. This class has an Azurite of
/// its own (<see cref="OutageAzuriteFixture"/>), so that stopping it cannot disturb the contract tests running
/// alongside; its tests run one after another and each starts it again if the previous one left it stopped.
/// </summary>
public sealed class AzuriteOutageTests(OutageAzuriteFixture fixture) : IClassFixture<OutageAzuriteFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StoreDownForTwoSeconds_RetryingPut_CompletesAfterRestart()
    {
        var azurite = await RunningAzuriteAsync();
        // The limit leaves room for Azurite's own restart, which takes several seconds on a busy 2-core machine.
        var store = new RetryingChunkStore(
            new AzureBlobChunkStore(azurite.ConnectionString, "outage"),
            new ChunkStoreRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), TimeLimit = TimeSpan.FromSeconds(40) });
        await store.EnsureReachableAsync(Ct);
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(450_560);

        await azurite.StopAsync();
        var put = store.PutChunkAsync(key, payload, Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.False(put.IsCompleted, "the put should still be retrying while the store is down");
        await azurite.RestartAsync(Ct);
        await put.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(payload, await store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task StoreDownLongerThanLimit_ThrowsUnreachableNamingEndpoint()
    {
        var azurite = await RunningAzuriteAsync();
        var inner = new AzureBlobChunkStore(azurite.ConnectionString, "outage");
        var store = new RetryingChunkStore(inner, new ChunkStoreRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), TimeLimit = TimeSpan.FromSeconds(1.5) });
        await store.EnsureReachableAsync(Ct);
        await azurite.StopAsync();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChunkStoreUnreachableException>(() => store.GetChunkAsync(TestPayloads.Chunk("e"), Ct));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        Assert.Contains($"127.0.0.1:{azurite.BlobPort}", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than the 1.5 s retry limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(inner.Endpoint, error.Endpoint);
    }

    [Fact]
    public async Task StoreDown_WithoutRetry_FailureIsClassifiedTransient()
    {
        var azurite = await RunningAzuriteAsync();
        var store = new AzureBlobChunkStore(azurite.ConnectionString, "outage");
        await store.EnsureReachableAsync(Ct);
        await azurite.StopAsync();

        var error = await Assert.ThrowsAsync<ChunkStoreUnavailableException>(() => store.PutChunkAsync(TestPayloads.Chunk("e"), new byte[] { 1 }, Ct));

        Assert.Contains(store.Endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableAtStart_EnsureReachable_FailsFastNamingEndpoint()
    {
        var port = ClosedLoopbackPort();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var store = ChunkStoreFactory.Create("azure:" + connectionString);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChunkStoreUnreachableException>(() => store.EnsureReachableAsync(Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains($"Chunk store http://127.0.0.1:{port}/devstoreaccount1/chunks is not reachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("running", error.Message, StringComparison.Ordinal);
    }

    private async Task<AzuriteProcess> RunningAzuriteAsync()
    {
        var azurite = fixture.Require();
        if (!azurite.IsRunning)
        {
            await azurite.RestartAsync(Ct);
        }
        return azurite;
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
