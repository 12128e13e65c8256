namespace OrleansRing.Plugins.Abstractions;

/// <summary>Where a vector attack applies its poison (the <c>scope</c> parameter of most attacks).</summary>
public enum AttackScope
{
    /// <summary>To the worker's own gradient, once, before the ring starts.</summary>
    Contribution = 0,

    /// <summary>To every chunk the worker sends: running partial sums in scatter-reduce and finished chunks in allgather.</summary>
    Transmitted = 1,
}
