using Microsoft.Extensions.Configuration;
using OrleansRing.Storage;

namespace OrleansRing.Hosting;

/// <summary>
/// Reads the silo's chunk store from configuration: either one line in key "ChunkStore"
/// (<c>folder:PATH</c> or <c>azure:...</c>, see <see cref="ChunkStoreOptions.Parse"/>), or the section's keys
/// Kind, FolderPath, ConnectionString, ServiceUri, ContainerName and RetryTimeLimitSeconds. Without either,
/// the embedded default: a local folder under the user's data directory.
/// </summary>
public static class ChunkStoreConfiguration
{
    public static string DefaultFolder { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "orleansring", "chunks");

    public static ChunkStoreOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ChunkStoreOptions.SectionName);
        ChunkStoreOptions options;
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            options = ChunkStoreOptions.Parse(section.Value);
        }
        else if (section["Kind"] is { } kind)
        {
            options = new ChunkStoreOptions
            {
                Kind = Enum.TryParse<ChunkStoreKind>(kind, ignoreCase: true, out var parsed)
                    ? parsed
                    : throw new ArgumentException($"ChunkStore:Kind must be Folder or Azure, got '{kind}'."),
                FolderPath = section["FolderPath"],
                ConnectionString = section["ConnectionString"],
                ServiceUri = section["ServiceUri"] is { } uri ? new Uri(uri) : null,
                ContainerName = section["ContainerName"] ?? AzureBlobChunkStore.DefaultContainerName,
            };
        }
        else
        {
            options = new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = DefaultFolder };
        }
        if (section["RetryTimeLimitSeconds"] is { } limit)
        {
            options.Retry = (options.Retry ?? ChunkStoreRetryPolicy.Default) with
            {
                TimeLimit = TimeSpan.FromSeconds(double.Parse(limit, System.Globalization.CultureInfo.InvariantCulture)),
            };
        }
        options.Validate();
        return options;
    }
}
