namespace OrleansRing.Abstractions;

/// <summary>Where a run's images come from. Silos resolve it locally and cache the loaded data.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.data-source-spec")]
public sealed record DataSourceSpec
{
    [Id(0)] public DataSourceKind Kind { get; init; } = DataSourceKind.Synthetic;

    /// <summary>CIFAR-10 folder or archive (Kind = Cifar10).</summary>
    [Id(1)] public string? Path { get; init; }

    [Id(2)] public int SyntheticTrainCount { get; init; } = 4096;

    [Id(3)] public int SyntheticTestCount { get; init; } = 1024;

    [Id(4)] public int SyntheticSeed { get; init; } = 1;

    /// <summary>Evaluate on the first N test images only (0: all). Keeps frequent evaluation cheap.</summary>
    [Id(5)] public int TestLimit { get; init; }

    public string CacheKey => Kind == DataSourceKind.Cifar10
        ? $"cifar10:{Path}"
        : $"synthetic:{SyntheticTrainCount}:{SyntheticTestCount}:{SyntheticSeed}";
}
