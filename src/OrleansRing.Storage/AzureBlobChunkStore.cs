using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrleansRing.Storage;

/// <summary>
/// An <see cref="IChunkStore"/> in one Azure Blob Storage container (or Azurite). Each chunk is one block
/// blob named by its key, its SHA-256 in the blob's <c>sha256</c> metadata as lowercase hex. Payloads up to
/// 8 MiB, every gradient chunk, go in a single Put Blob, so a blob and its metadata appear together or not at
/// all; reads stream the body once into an array of the exact length and check the hash the same response
/// carried.
/// </summary>
public sealed class AzureBlobChunkStore : NamedBlobChunkStore
{
    public const string DefaultContainerName = "chunks";

    /// <summary>Metadata key of the payload's SHA-256 (64 lowercase hex digits).</summary>
    public const string HashMetadataKey = "sha256";

    private const int SingleUploadLimit = 8 * 1024 * 1024;
    private const int DeleteParallelism = 16;

    private static readonly StorageTransferOptions TransferOptions = new()
    {
        InitialTransferSize = SingleUploadLimit,
        MaximumTransferSize = SingleUploadLimit,
        MaximumConcurrency = 4,
    };

    private readonly BlobContainerClient _container;

    /// <param name="connectionString">An Azure Storage connection string, e.g. Azurite's devstoreaccount1 string.</param>
    /// <param name="containerName">Created on <see cref="EnsureReachableAsync"/> or first write if missing.</param>
    /// <param name="clientOptions">Defaults to <see cref="CreateClientOptions"/>.</param>
    public AzureBlobChunkStore(string connectionString, string containerName = DefaultContainerName, BlobClientOptions? clientOptions = null)
        : this(new BlobContainerClient(
            connectionString ?? throw new ArgumentNullException(nameof(connectionString)),
            containerName,
            clientOptions ?? CreateClientOptions()))
    {
    }

    /// <param name="serviceUri">The account's blob endpoint, e.g. https://ACCOUNT.blob.core.windows.net.</param>
    /// <param name="containerName">Created on <see cref="EnsureReachableAsync"/> or first write if missing.</param>
    /// <param name="credential">Defaults to <see cref="DefaultAzureCredential"/> (workload identity in AKS, az login locally).</param>
    /// <param name="clientOptions">Defaults to <see cref="CreateClientOptions"/>.</param>
    public AzureBlobChunkStore(Uri serviceUri, string containerName = DefaultContainerName, TokenCredential? credential = null, BlobClientOptions? clientOptions = null)
        : this(new BlobServiceClient(
                serviceUri ?? throw new ArgumentNullException(nameof(serviceUri)),
                credential ?? new DefaultAzureCredential(),
                clientOptions ?? CreateClientOptions())
            .GetBlobContainerClient(containerName))
    {
    }

    /// <summary>Uses a container client configured elsewhere (its retry options included).</summary>
    public AzureBlobChunkStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        // The query may hold a SAS token: never put it in messages.
        Endpoint = new UriBuilder(container.Uri) { Query = string.Empty }.Uri.ToString();
    }

    public override string Endpoint { get; }

    /// <summary>How long <see cref="EnsureReachableAsync"/> waits before declaring the store unreachable.</summary>
    public TimeSpan ReachabilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Client options that keep the SDK's own retries short: two quick retries (0.1 s then about 0.2 s) for a
    /// dropped connection or a 5xx, and <paramref name="requestTimeout"/> per try. Long outages are left to
    /// <see cref="RetryingChunkStore"/>, whose time limit then bounds the whole wait instead of multiplying
    /// the SDK's defaults (3 retries, up to 100 s per try) into minutes.
    /// </summary>
    /// <param name="requestTimeout">Per-try network timeout; defaults to 20 s, ample for an 8 MiB request.</param>
    public static BlobClientOptions CreateClientOptions(TimeSpan? requestTimeout = null)
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = requestTimeout ?? TimeSpan.FromSeconds(20);
        return options;
    }

    public override async Task EnsureReachableAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachabilityTimeout);
        try
        {
            await CreateContainerIfMissingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e, null, timeout.Token) is { } error)
        {
            var hint = error is ChunkStoreUnavailableException ? " Is the storage account (or Azurite) running and reachable?" : string.Empty;
            // The translated message starts with the endpoint too; say it once.
            var prefix = $"Chunk store {Endpoint} ";
            var detail = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
            throw new ChunkStoreUnreachableException(Endpoint, null, $"Chunk store {Endpoint} is not reachable ({detail}).{hint}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChunkStoreUnreachableException(Endpoint, null, $"Chunk store {Endpoint} did not answer within {ReachabilityTimeout.TotalSeconds:0.#} s. Is the storage account (or Azurite) running and reachable?", e);
        }
    }

    private protected override Task PutBlobAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        PutAsync(name, payload, cancellationToken);

    private protected override Task<byte[]> GetBlobAsync(string name, CancellationToken cancellationToken) =>
        GetAsync(name, cancellationToken);

    private protected override Task<byte[]> ReadBlobStartAsync(string name, int length, CancellationToken cancellationToken) =>
        CallAsync(name, async ct =>
        {
            // A ranged read: the index is at the start; the payloads after it are not downloaded.
            var response = await _container.GetBlobClient(name).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, length) }, ct).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }, cancellationToken);

    private protected override Task<bool> BlobExistsAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(name, async ct => (await _container.GetBlobClient(name).ExistsAsync(ct).ConfigureAwait(false)).Value, cancellationToken);

    private protected override Task<bool> DeleteBlobAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync(name, cancellationToken);

    private protected override async Task<IReadOnlyList<string>> ListBlobNamesAsync(string prefix, CancellationToken cancellationToken) =>
        await ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false);

    private protected override Task<List<long>> ListIterationsAsync(string experimentPrefix, CancellationToken cancellationToken) =>
        CallAsync(experimentPrefix, async ct =>
        {
            var found = new List<long>();
            var options = new GetBlobsByHierarchyOptions { Prefix = experimentPrefix, Delimiter = "/" };
            await foreach (var item in _container.GetBlobsByHierarchyAsync(options, ct).ConfigureAwait(false))
            {
                // Prefixes look like "{experiment}/{iteration:D8}/"; "{experiment}/checkpoints/" is skipped here.
                if (item.IsPrefix && BlobNameSegments.TryParseIteration(item.Prefix.AsSpan(experimentPrefix.Length).TrimEnd('/'), out var iteration))
                {
                    found.Add(iteration);
                }
            }
            return found;
        }, cancellationToken, ifContainerMissing: () => []);

    private protected override async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = await ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false);
        return await DeleteAllAsync(names, cancellationToken).ConfigureAwait(false);
    }

    private Task PutAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { [HashMetadataKey] = ChunkHash.ToHex(ChunkHash.Compute(payload.Span)) },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            TransferOptions = TransferOptions,
        };
        var blob = _container.GetBlobClient(name);
        return CallAsync(name, async ct =>
        {
            try
            {
                // BinaryData wraps the caller's memory: no copy before the request body.
                await blob.UploadAsync(new BinaryData(payload), options, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                // Deleted behind our back, or lost by an emulator restart: recreate once and write again.
                await CreateContainerIfMissingAsync(ct).ConfigureAwait(false);
                await blob.UploadAsync(new BinaryData(payload), options, ct).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);
    }

    private Task<byte[]> GetAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(name, async ct =>
        {
            var response = await _container.GetBlobClient(name).DownloadStreamingAsync(new BlobDownloadOptions(), ct).ConfigureAwait(false);
            using var result = response.Value;
            var details = result.Details;
            if (!details.Metadata.TryGetValue(HashMetadataKey, out var hex))
            {
                throw new ChunkIntegrityException(Endpoint, name, $"the blob has no '{HashMetadataKey}' metadata, so it was not written by a chunk store");
            }
            if (!ChunkHash.TryParseHex(hex, out var expected))
            {
                throw new ChunkIntegrityException(Endpoint, name, $"its '{HashMetadataKey}' metadata '{hex}' is not 64 hex digits");
            }
            if (details.ContentLength > Array.MaxLength)
            {
                throw new ChunkStoreException(Endpoint, name, $"Blob '{name}' in {Endpoint} is {details.ContentLength} bytes, more than one array can hold.");
            }
            var payload = GC.AllocateUninitializedArray<byte>((int)details.ContentLength);
            try
            {
                await result.Content.ReadExactlyAsync(payload, ct).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new ChunkStoreUnavailableException(Endpoint, name, $"The body of '{name}' from {Endpoint} ended before its {payload.Length} bytes.", e);
            }
            var problem = ChunkHash.Verify(payload, expected);
            return problem is null ? payload : throw new ChunkIntegrityException(Endpoint, name, problem);
        }, cancellationToken);

    private Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(name, async ct =>
            (await _container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions: null, ct).ConfigureAwait(false)).Value,
            cancellationToken,
            ifContainerMissing: () => false);

    private async Task<int> DeleteAllAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(names, parallel, async (name, ct) =>
        {
            if (await DeleteAsync(name, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref deleted);
            }
        }).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Every blob name under <paramref name="prefix"/>, in the service's (ordinal) order.</summary>
    private Task<List<string>> ListNamesAsync(string prefix, CancellationToken cancellationToken) =>
        CallAsync(prefix, async ct =>
        {
            var names = new List<string>();
            await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct).ConfigureAwait(false))
            {
                names.Add(blob.Name);
            }
            return names;
        }, cancellationToken, ifContainerMissing: () => []);

    private async Task CreateContainerIfMissingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _container.CreateIfNotExistsAsync(PublicAccessType.None, metadata: null, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // A data-plane role may read and write blobs without being allowed to create containers.
            if (!(await _container.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                throw;
            }
        }
    }

    /// <summary>
    /// Runs one SDK call and turns its failures into <see cref="ChunkStoreException"/>s; a missing container
    /// yields <paramref name="ifContainerMissing"/>'s result instead when it is given (lists and deletes).
    /// </summary>
    private async Task<T> CallAsync<T>(string? name, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<T>? ifContainerMissing = null)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && ifContainerMissing is not null)
        {
            return ifContainerMissing();
        }
        catch (Exception e) when (Translate(e, name, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <summary>
    /// The store exception for an SDK failure, or null to let it propagate (our own exceptions, the caller's
    /// cancellation, programming errors).
    /// </summary>
    private ChunkStoreException? Translate(Exception e, string? name, CancellationToken cancellationToken)
    {
        var about = name is null ? string.Empty : $" for '{name}'";
        switch (e)
        {
            case ChunkStoreException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case RequestFailedException { Status: 404 } when name is not null:
                return new ChunkNotFoundException(Endpoint, name, e);
            case RequestFailedException r when IsTransientStatus(r.Status):
                return new ChunkStoreUnavailableException(Endpoint, name, $"Chunk store {Endpoint} failed{about}: {Describe(r)}", e);
            case RequestFailedException r:
                return new ChunkStoreException(Endpoint, name, $"Chunk store {Endpoint} refused the request{about}: {Describe(r)}", e);
            case AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient):
                // The SDK's own retries gave up; its message lists every try.
                return new ChunkStoreUnavailableException(Endpoint, name, $"Chunk store {Endpoint} failed{about}: {FirstLine(a.InnerExceptions[^1].Message)} (after {a.InnerExceptions.Count} tries)", e);
            case AggregateException a when a.InnerExceptions.Count > 0:
                return Translate(a.InnerExceptions.First(inner => !IsTransient(inner)), name, cancellationToken);
            case AuthenticationFailedException:
                return new ChunkStoreException(Endpoint, name, $"Could not get a token for chunk store {Endpoint}{about}: {FirstLine(e.Message)}", e);
            case OperationCanceledException or TimeoutException:
                return new ChunkStoreUnavailableException(Endpoint, name, $"Chunk store {Endpoint} timed out{about}: {FirstLine(e.Message)}", e);
            case HttpRequestException or IOException or SocketException:
                return new ChunkStoreUnavailableException(Endpoint, name, $"Chunk store {Endpoint} failed{about}: {FirstLine(e.Message)}", e);
            default:
                return null;
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => IsTransientStatus(r.Status),
        OperationCanceledException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    // 0: no response at all (connection refused or reset).
    private static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or 500 or 502 or 503 or 504;

    private static string Describe(RequestFailedException e) =>
        e.Status == 0 ? FirstLine(e.InnerException?.Message ?? e.Message) : $"HTTP {e.Status} {e.ErrorCode}";

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
