using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Data;

/// <summary>Loads data sources once per silo and shares them between the workers placed there.</summary>
public interface IDatasetCatalog
{
    Task<LoadedDataset> GetAsync(DataSourceSpec spec, CancellationToken cancellationToken = default);
}
