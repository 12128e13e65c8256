using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Storage.Tests;

/// <summary>The contract on a real Azurite, plus what only blobs can get wrong. Each test has a container of its own.</summary>
public sealed class AzureBlobChunkStoreTests(AzuriteFixture fixture) : ChunkStoreContractTests
{
    private readonly string _container = "t" + Guid.NewGuid().ToString("N");

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override async Task<IChunkStore> CreateStoreAsync()
    {
        var store = new AzureBlobChunkStore(fixture.Require().ConnectionString, _container);
        await store.EnsureReachableAsync(Ct);
        return store;
    }

    protected override Task WriteRawAsync(IChunkStore store, string blobName, byte[] payload, byte[] recordedHash) =>
        RawUploadAsync(blobName, payload, new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(recordedHash) });

    [Fact]
    public async Task Get_BlobWithoutHashMetadata_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        await RawUploadAsync(key.ToBlobName(), [1, 2, 3], metadata: null);

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));

        Assert.Contains("sha256", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HashMetadataNotHex_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        await RawUploadAsync(key.ToBlobName(), [1, 2, 3], new Dictionary<string, string> { ["sha256"] = "not-a-hash" });

        await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Put_StoresHashAsMetadata()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(777);

        await store.PutChunkAsync(key, payload, Ct);

        var properties = await RawContainer().GetBlobClient(key.ToBlobName()).GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)), properties.Value.Metadata["sha256"]);
        Assert.Equal(777, properties.Value.ContentLength);
    }

    [Fact]
    public async Task ChunkSizedPutAndGet_AreOneRequestEach()
    {
        var counter = new RequestCounter();
        var options = AzureBlobChunkStore.CreateClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var store = new AzureBlobChunkStore(fixture.Require().ConnectionString, _container, options);
        await store.EnsureReachableAsync(Ct);
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var payload = TestPayloads.Random(4 << 20);

        counter.Clear();
        await store.PutChunkAsync(key, payload, Ct);
        var puts = counter.Requests;
        counter.Clear();
        var read = await store.GetChunkAsync(key, Ct);
        var gets = counter.Requests;

        Assert.Equal(payload, read);
        Assert.Equal(["PUT "], puts);
        Assert.Equal(["GET "], gets);
    }

    [Fact]
    public async Task ContainerDeletedBehindStore_PutRecreatesIt_ReadsAndListsCopeMeanwhile()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        await RawContainer().DeleteAsync(cancellationToken: Ct);

        Assert.False(await store.ChunkExistsAsync(key, Ct));
        Assert.Empty(await store.ListChunksAsync(key.ExperimentId, cancellationToken: Ct));
        Assert.False(await store.DeleteChunkAsync(key, Ct));
        await Assert.ThrowsAsync<ChunkNotFoundException>(() => store.GetChunkAsync(key, Ct));
        Assert.Empty(await store.PruneIterationsAsync(key.ExperimentId, 1, Ct));

        await store.PutChunkAsync(key, new byte[] { 5 }, Ct);

        Assert.Equal(new byte[] { 5 }, await store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Factory_AzureTextForm_BuildsWorkingRetryingStore()
    {
        var store = ChunkStoreFactory.Create(new ChunkStoreOptions
        {
            Kind = ChunkStoreKind.Azure,
            ConnectionString = fixture.Require().ConnectionString,
            ContainerName = _container,
        });
        await store.EnsureReachableAsync(Ct);
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        await store.PutChunkAsync(key, new byte[] { 1, 2 }, Ct);

        Assert.IsType<RetryingChunkStore>(store);
        Assert.Equal(new byte[] { 1, 2 }, await store.GetChunkAsync(key, Ct));
        Assert.Equal($"{fixture.Require().BlobEndpoint}/{_container}", store.Endpoint);
        Assert.DoesNotContain(AzuriteProcess.AccountKey, store.Endpoint, StringComparison.Ordinal);
    }

    private BlobContainerClient RawContainer() => new(fixture.Require().ConnectionString, _container);

    private async Task RawUploadAsync(string blobName, byte[] payload, IDictionary<string, string>? metadata) =>
        await RawContainer().GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(payload), new BlobUploadOptions { Metadata = metadata }, Ct);
}
