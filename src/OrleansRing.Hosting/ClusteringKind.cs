using System.ComponentModel;

namespace OrleansRing.Hosting;

/// <summary>
/// How silos find each other and clients find gateways. Text forms (flags, configuration, environment):
/// <c>localhost</c> and <c>azure-table</c>; the enum names are accepted as well.
/// </summary>
[TypeConverter(typeof(ClusteringKindConverter))]
public enum ClusteringKind
{
    /// <summary>Orleans development clustering on one machine: the primary silo holds the membership table, so it must outlive the others.</summary>
    Localhost = 0,

    /// <summary>Membership in an Azure Storage table (or Azurite): no silo is special, any one may die.</summary>
    AzureTable = 1,
}
