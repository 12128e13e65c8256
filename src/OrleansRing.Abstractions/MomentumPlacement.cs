namespace OrleansRing.Abstractions;

/// <summary>Where SGD's momentum buffer lives: after the ring on every replica, or before it on every worker.</summary>
[GenerateSerializer]
[Alias("orleansring.momentum-placement")]
public enum MomentumPlacement
{
    /// <summary>The ring averages raw gradients; every replica's optimizer keeps the (identical) momentum buffer.</summary>
    Replica = 0,

    /// <summary>
    /// Every worker keeps its own momentum buffer and contributes it to the ring; replicas take a plain SGD step on the
    /// result. Under the plain mean this is the same step as <see cref="Replica"/>; under a robust rule it feeds the rule
    /// lower-variance vectors (Karimireddy, He, Jaggi: Learning from History for Byzantine Robust Optimization, ICML 2021).
    /// </summary>
    Worker = 1,
}
