namespace OrleansRing.Training;

/// <summary>How fast one process trained: see <see cref="TrainingThroughput.Measure"/>.</summary>
/// <param name="Model">Architecture trained.</param>
/// <param name="BatchSize">Images per step (the global batch).</param>
/// <param name="Iterations">Timed steps (warm-up excluded).</param>
/// <param name="IntraOpThreads">TorchSharp intra-op threads in effect.</param>
/// <param name="Elapsed">Wall time of the timed steps.</param>
public sealed record ThroughputResult(ModelKind Model, int BatchSize, int Iterations, int IntraOpThreads, TimeSpan Elapsed)
{
    public double SamplesPerSecond => Elapsed > TimeSpan.Zero ? (double)BatchSize * Iterations / Elapsed.TotalSeconds : 0;

    public double MillisecondsPerIteration => Iterations > 0 ? Elapsed.TotalMilliseconds / Iterations : 0;
}
