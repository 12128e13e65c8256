namespace OrleansRing.Cli.Commands;

/// <summary>
/// One `bench allreduce` measurement. Seconds are the slowest worker's time from its first send to its
/// last receive (and, with persistence, until everything it sent is durable); "call" adds the client's
/// grain-call round trip. Algorithm bandwidth = vector bytes / time (as NCCL reports it); bus bandwidth =
/// algorithm bandwidth × 2(N − 1)/N. <see cref="Store"/> is the store's endpoint, null with persistence off.
/// </summary>
public sealed record AllReduceFigures(
    int Workers,
    int Floats,
    int Repeats,
    double MedianSeconds,
    double MinSeconds,
    double MaxSeconds,
    double MedianCallSeconds,
    double AlgorithmBandwidthGBps,
    double BusBandwidthGBps,
    string Persistence,
    string? Store);
