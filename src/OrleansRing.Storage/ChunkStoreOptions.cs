using Azure.Core;

namespace OrleansRing.Storage;

/// <summary>
/// Which chunk store to use, for <see cref="ChunkStoreFactory.Create(ChunkStoreOptions)"/>. Bind it from the
/// <see cref="SectionName"/> configuration section, or give one line of text to <see cref="Parse"/>:
/// <list type="bullet">
/// <item><c>folder:PATH</c>: a local folder.</item>
/// <item><c>azure:CONNECTION_STRING</c>: a storage account or Azurite by connection string, container <see cref="ContainerName"/>.</item>
/// <item><c>azure:https://ACCOUNT.blob.core.windows.net/CONTAINER</c>: by URL with <c>DefaultAzureCredential</c>
/// (without a container segment, <see cref="ContainerName"/> is used).</item>
/// </list>
/// </summary>
public sealed class ChunkStoreOptions
{
    public const string SectionName = "ChunkStore";

    private const string TextForms =
        "'folder:PATH', 'azure:CONNECTION_STRING' or 'azure:https://ACCOUNT.blob.core.windows.net/CONTAINER'";

    public ChunkStoreKind Kind { get; set; } = ChunkStoreKind.Folder;

    /// <summary>Folder store: the folder (relative paths are resolved against the current directory).</summary>
    public string? FolderPath { get; set; }

    /// <summary>Folder store: fsync each file before it is renamed into place (see <see cref="FolderChunkStore"/>).</summary>
    public bool FlushToDisk { get; set; }

    /// <summary>Azure store: a connection string (secret; never echoed in errors). Exclusive with <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Azure store: the account's https blob endpoint, or a container URL. Exclusive with <see cref="ConnectionString"/>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Azure store: the container, created if missing.</summary>
    public string ContainerName { get; set; } = AzureBlobChunkStore.DefaultContainerName;

    /// <summary>Azure store with <see cref="ServiceUri"/>: the credential; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Azure store: network timeout of each try of each request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Azure store: how long <see cref="IChunkStore.EnsureReachableAsync"/> waits.</summary>
    public TimeSpan ReachabilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry of transient failures; null for none (the store then throws <see cref="ChunkStoreUnavailableException"/> at once).</summary>
    public ChunkStoreRetryPolicy? Retry { get; set; } = ChunkStoreRetryPolicy.Default;

    /// <summary>Reads the one-line text form (see the class summary); a bad line is an <see cref="ArgumentException"/> saying what is expected.</summary>
    public static ChunkStoreOptions Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var value = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        if (kind.Equals("folder", StringComparison.OrdinalIgnoreCase))
        {
            return value.Length > 0
                ? new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = value }
                : throw new ArgumentException($"Chunk store 'folder:' needs a path, e.g. 'folder:runs/chunks'. Expected {TextForms}.", nameof(text));
        }
        if (kind.Equals("azure", StringComparison.OrdinalIgnoreCase))
        {
            if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.TryCreate(value, UriKind.Absolute, out var uri)
                    ? new ChunkStoreOptions { Kind = ChunkStoreKind.Azure, ServiceUri = uri }
                    : throw new ArgumentException($"Chunk store 'azure:{value}' is not a valid URL. Expected {TextForms}.", nameof(text));
            }
            return value.Length > 0
                ? new ChunkStoreOptions { Kind = ChunkStoreKind.Azure, ConnectionString = value }
                : throw new ArgumentException($"Chunk store 'azure:' needs a connection string or a URL. Expected {TextForms}.", nameof(text));
        }
        // Only the part before the colon is echoed: the rest may be a connection string.
        throw new ArgumentException($"Chunk store kind '{kind}' is unknown. Expected {TextForms}.", nameof(text));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is missing or wrong.</summary>
    public void Validate()
    {
        switch (Kind)
        {
            case ChunkStoreKind.Folder:
                if (string.IsNullOrWhiteSpace(FolderPath))
                {
                    throw Invalid(nameof(FolderPath), "is required when Kind is Folder (text form 'folder:PATH')");
                }
                break;
            case ChunkStoreKind.Azure:
                if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
                {
                    throw Invalid(nameof(ConnectionString), $"or {nameof(ServiceUri)}, exactly one of them, is required when Kind is Azure (text forms 'azure:CONNECTION_STRING' or 'azure:https://ACCOUNT.blob.core.windows.net/CONTAINER')");
                }
                if (ServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
                {
                    // The SDK refuses to send bearer tokens over plain HTTP; Azurite over HTTP needs a connection string.
                    throw Invalid(nameof(ServiceUri), $"must be an absolute https URL (tokens are never sent over plain HTTP; use ConnectionString for Azurite over HTTP); got '{uri}'");
                }
                if (!IsValidContainerName(ContainerName))
                {
                    throw Invalid(nameof(ContainerName), $"must be 3-63 characters of a-z, 0-9 and single '-' between them (Azure's container rules); got '{ContainerName}'");
                }
                Positive(RequestTimeout, nameof(RequestTimeout));
                Positive(ReachabilityTimeout, nameof(ReachabilityTimeout));
                break;
            default:
                throw Invalid(nameof(Kind), $"must be {ChunkStoreKind.Folder} or {ChunkStoreKind.Azure}; got '{Kind}'");
        }
    }

    internal static bool IsValidContainerName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(name, $"must be positive; got {value}");
        }
    }

    private static ArgumentException Invalid(string option, string problem) =>
        new($"{nameof(ChunkStoreOptions)}.{option} {problem}.", option);
}
