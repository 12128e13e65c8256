namespace OrleansRing.Storage.Tests;

public sealed class FolderChunkStoreTests : ChunkStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansring-chunks-").FullName;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    // A subfolder that does not exist yet, so every test also covers its creation.
    private string StoreRoot => Path.Combine(_folder, "store");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    protected override async Task<IChunkStore> CreateStoreAsync()
    {
        var store = new FolderChunkStore(StoreRoot);
        await store.EnsureReachableAsync(Ct);
        return store;
    }

    protected override Task WriteRawAsync(IChunkStore store, string blobName, byte[] payload, byte[] recordedHash)
    {
        var header = FolderChunkFormat.CreateHeader(payload);
        recordedHash.CopyTo(header, 16);
        return File.WriteAllBytesAsync(PathOf(blobName), [.. header, .. payload], Ct);
    }

    [Fact]
    public async Task Get_TruncatedFile_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        await store.PutChunkAsync(key, TestPayloads.Random(1000), Ct);
        await using (var file = File.OpenWrite(PathOf(key.ToBlobName())))
        {
            file.SetLength(600);
        }

        var error = await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));

        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task Get_FileWithoutHeader_ThrowsIntegrity(int length)
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(key.ToBlobName()))!);
        await File.WriteAllBytesAsync(PathOf(key.ToBlobName()), TestPayloads.Random(length), Ct);

        await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task Get_PayloadByteFlippedOnDisk_ThrowsIntegrity()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        await store.PutChunkAsync(key, TestPayloads.Random(1000), Ct);
        var bytes = await File.ReadAllBytesAsync(PathOf(key.ToBlobName()), Ct);
        bytes[^1] ^= 0x80;
        await File.WriteAllBytesAsync(PathOf(key.ToBlobName()), bytes, Ct);

        await Assert.ThrowsAsync<ChunkIntegrityException>(() => store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task CrashBeforeRename_LeftoverTempFile_IsInvisible()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());
        var fresh = key with { ChunkIndex = 1 };
        await store.PutChunkAsync(key, new byte[] { 1, 2, 3 }, Ct);
        // What a writer killed between write and rename leaves: a half-written temp file beside the final name.
        var folder = Path.GetDirectoryName(PathOf(key.ToBlobName()))!;
        await File.WriteAllBytesAsync(Path.Combine(folder, ".0000.deadbeef.tmp"), TestPayloads.Random(10), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, ".0001.deadbeef.tmp"), TestPayloads.Random(10), Ct);

        Assert.Equal(new byte[] { 1, 2, 3 }, await store.GetChunkAsync(key, Ct));
        Assert.False(await store.ChunkExistsAsync(fresh, Ct));
        Assert.Equal([key], await store.ListChunksAsync(key.ExperimentId, cancellationToken: Ct));
        Assert.Equal(1, await store.DeleteExperimentAsync(key.ExperimentId, Ct));
    }

    [Fact]
    public async Task Put_LeavesNoTempFiles()
    {
        var store = await CreateStoreAsync();
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        await store.PutChunkAsync(key, TestPayloads.Random(100), Ct);
        await store.PutChunkAsync(key, TestPayloads.Random(200), Ct);

        var files = Directory.GetFiles(Path.GetDirectoryName(PathOf(key.ToBlobName()))!);
        Assert.Equal([PathOf(key.ToBlobName())], files);
    }

    [Fact]
    public async Task FlushToDisk_RoundTrips()
    {
        var store = new FolderChunkStore(StoreRoot, flushToDisk: true);
        var key = TestPayloads.Chunk(TestPayloads.NewExperimentId());

        await store.PutChunkAsync(key, TestPayloads.Random(5000), Ct);

        Assert.Equal(TestPayloads.Random(5000), await store.GetChunkAsync(key, Ct));
    }

    [Fact]
    public async Task EnsureReachable_RootIsAFile_ThrowsUnreachableNamingPath()
    {
        var path = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(path, "x", Ct);
        var store = new FolderChunkStore(path);

        var error = await Assert.ThrowsAsync<ChunkStoreUnreachableException>(() => store.EnsureReachableAsync(Ct));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_IsTheFullPath() =>
        Assert.Equal(Path.GetFullPath(StoreRoot), new FolderChunkStore(StoreRoot).Endpoint);

    private string PathOf(string blobName) => Path.Combine(StoreRoot, blobName.Replace('/', Path.DirectorySeparatorChar));
}
