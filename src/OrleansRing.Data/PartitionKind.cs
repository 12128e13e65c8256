namespace OrleansRing.Data;

/// <summary>How training samples are dealt out to workers.</summary>
public enum PartitionKind
{
    /// <summary>Seeded shuffle, then near-equal shares: every worker sees the same label mix.</summary>
    Iid,

    /// <summary>Per-class Dirichlet(α) shares: small α gives each worker few classes (non-IID).</summary>
    Dirichlet,
}
