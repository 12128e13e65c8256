using System.Collections.Concurrent;
using OrleansRing.Abstractions;
using OrleansRing.Data;

namespace OrleansRing.Grains.Data;

/// <inheritdoc />
public sealed class DatasetCatalog : IDatasetCatalog
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedDataset>>> _loaded = new();

    public Task<LoadedDataset> GetAsync(DataSourceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var key = $"{spec.CacheKey}:{spec.TestLimit}";
        var entry = _loaded.GetOrAdd(key, _ => new Lazy<Task<LoadedDataset>>(() => Task.Run(() => Load(spec), CancellationToken.None)));
        var task = entry.Value;
        if (task.IsFaulted)
        {
            // A failed load (missing file, bad data) must not poison the cache for a corrected retry.
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedDataset>>>(key, entry));
        }
        return task.WaitAsync(cancellationToken);
    }

    private static LoadedDataset Load(DataSourceSpec spec)
    {
        var split = spec.Kind switch
        {
            DataSourceKind.Cifar10 => Cifar10BinaryReader.Load(spec.Path ?? throw new ArgumentException("A CIFAR-10 data source needs a path.", nameof(spec))),
            DataSourceKind.Synthetic => SyntheticCifar10.Create(spec.SyntheticTrainCount, spec.SyntheticTestCount, spec.SyntheticSeed),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown data source kind."),
        };
        var evaluation = spec.TestLimit > 0 && spec.TestLimit < split.Test.Count ? Take(split.Test, spec.TestLimit) : split.Test;
        return new LoadedDataset(split, ChannelStatistics.Compute(split.Train), evaluation);
    }

    private static ImageDataset Take(ImageDataset source, int count) =>
        new($"{source.Name} (first {count})", source.Pixels[..(count * ImageDataset.PixelsPerImage)].ToArray(), source.Labels[..count].ToArray(), source.ClassCount);
}
