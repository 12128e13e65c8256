namespace OrleansRing.Storage.Tests;

public sealed class ChunkStoreOptionsTests
{
    private const string DevConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    [Fact]
    public void Parse_Folder_SetsPath()
    {
        var options = ChunkStoreOptions.Parse("folder:runs/chunks");

        Assert.Equal(ChunkStoreKind.Folder, options.Kind);
        Assert.Equal("runs/chunks", options.FolderPath);
    }

    [Fact]
    public void Parse_AzureConnectionString_SetsIt()
    {
        var options = ChunkStoreOptions.Parse("azure:" + DevConnectionString);

        Assert.Equal(ChunkStoreKind.Azure, options.Kind);
        Assert.Equal(DevConnectionString, options.ConnectionString);
        Assert.Null(options.ServiceUri);
    }

    [Fact]
    public void Parse_AzureUrl_SetsServiceUri()
    {
        var options = ChunkStoreOptions.Parse("azure:https://acct.blob.core.windows.net/grads");

        Assert.Equal(new Uri("https://acct.blob.core.windows.net/grads"), options.ServiceUri);
        Assert.Null(options.ConnectionString);
    }

    [Theory]
    [InlineData("s3:bucket", "'s3' is unknown")]
    [InlineData("folder:", "needs a path")]
    [InlineData("azure:", "needs a connection string or a URL")]
    [InlineData("nonsense", "'nonsense' is unknown")]
    public void Parse_BadText_SaysWhatIsExpected(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ChunkStoreOptions.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'folder:PATH'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKind_DoesNotEchoTheSecretPart()
    {
        var error = Assert.Throws<ArgumentException>(() => ChunkStoreOptions.Parse("azur:" + DevConnectionString));

        Assert.DoesNotContain("AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FolderWithoutPath_NamesFolderPath()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChunkStoreOptions { Kind = ChunkStoreKind.Folder }.Validate());

        Assert.Equal(nameof(ChunkStoreOptions.FolderPath), error.ParamName);
        Assert.Contains("ChunkStoreOptions.FolderPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AzureWithBothOrNeither_NamesTheOptions()
    {
        var neither = Assert.Throws<ArgumentException>(() => new ChunkStoreOptions { Kind = ChunkStoreKind.Azure }.Validate());
        var both = Assert.Throws<ArgumentException>(() => new ChunkStoreOptions
        {
            Kind = ChunkStoreKind.Azure,
            ConnectionString = DevConnectionString,
            ServiceUri = new Uri("https://acct.blob.core.windows.net"),
        }.Validate());

        Assert.Contains("ChunkStoreOptions.ConnectionString or ServiceUri", neither.Message, StringComparison.Ordinal);
        Assert.Equal(neither.Message, both.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Chunks")]
    [InlineData("-chunks")]
    [InlineData("chunks-")]
    [InlineData("chu--nks")]
    [InlineData("chunks_1")]
    public void Validate_BadContainerName_NamesContainerName(string container)
    {
        var options = new ChunkStoreOptions { Kind = ChunkStoreKind.Azure, ConnectionString = DevConnectionString, ContainerName = container };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ChunkStoreOptions.ContainerName), error.ParamName);
    }

    [Fact]
    public void Validate_NonPositiveTimeout_NamesIt()
    {
        var options = new ChunkStoreOptions { Kind = ChunkStoreKind.Azure, ConnectionString = DevConnectionString, RequestTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ChunkStoreOptions.RequestTimeout), error.ParamName);
    }

    [Fact]
    public void Factory_Folder_IsRetryingFolderStore()
    {
        var store = ChunkStoreFactory.Create("folder:some/where");

        var retrying = Assert.IsType<RetryingChunkStore>(store);
        Assert.IsType<FolderChunkStore>(retrying.Inner);
        Assert.Equal(Path.GetFullPath("some/where"), store.Endpoint);
    }

    [Fact]
    public void Factory_WithoutRetry_IsBareStore() =>
        Assert.IsType<FolderChunkStore>(ChunkStoreFactory.Create(new ChunkStoreOptions { FolderPath = "x", Retry = null }));

    [Fact]
    public void Factory_BadConnectionString_NamesOptionWithoutEchoingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ChunkStoreFactory.Create("azure:AccountKey=secret-ish;Nope"));

        Assert.Equal(nameof(ChunkStoreOptions.ConnectionString), error.ParamName);
        Assert.DoesNotContain("secret-ish", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azure:https://127.0.0.1:10000/devstoreaccount1/grads", "https://127.0.0.1:10000/devstoreaccount1/grads")]
    [InlineData("azure:https://127.0.0.1:10000/devstoreaccount1", "https://127.0.0.1:10000/devstoreaccount1/chunks")]
    [InlineData("azure:https://acct.blob.core.windows.net/grads", "https://acct.blob.core.windows.net/grads")]
    [InlineData("azure:https://acct.blob.core.windows.net", "https://acct.blob.core.windows.net/chunks")]
    public void Factory_Url_UsesContainerFromUrlOrOption(string text, string endpoint) =>
        Assert.Equal(endpoint, ChunkStoreFactory.Create(text).Endpoint);

    [Fact]
    public void Factory_PlainHttpUrl_IsRejectedNamingServiceUri()
    {
        var error = Assert.Throws<ArgumentException>(() => ChunkStoreFactory.Create("azure:http://127.0.0.1:10000/devstoreaccount1"));

        Assert.Equal(nameof(ChunkStoreOptions.ServiceUri), error.ParamName);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }
}
