namespace OrleansRing.Plugins.RobustReductions;

/// <summary>A pre-aggregation chained before the rule (the <c>pre</c> parameter, e.g. <c>pre=nnm</c> or <c>pre=clip+bucketing</c>).</summary>
internal enum PreAggregationKind
{
    /// <summary>Static clipping: scale each vector to norm ≤ c (ByzFL Clipping, c = 2).</summary>
    Clip,

    /// <summary>Adaptive robust clipping: clip every vector to the norm of the (k+1)-th largest, k = ⌊2·(f/n)·(n−f)⌋.</summary>
    Arc,

    /// <summary>Nearest-neighbour mixing: replace each vector by the mean of its n − f nearest (itself included).</summary>
    Nnm,

    /// <summary>Shuffle (the same permutation at every owner), average consecutive buckets of s vectors.</summary>
    Bucketing,
}
