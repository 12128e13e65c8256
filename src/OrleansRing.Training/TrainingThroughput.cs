using System.Diagnostics;
using OrleansRing.Data;

namespace OrleansRing.Training;

/// <summary>Throughput of plain single-process training, the baseline the ring is compared with.</summary>
public static class TrainingThroughput
{
    /// <summary>
    /// Trains one model on batches of <paramref name="globalBatchSize"/> images drawn from the whole of
    /// <paramref name="train"/> for <paramref name="iterations"/> timed steps (after
    /// <paramref name="warmupIterations"/> untimed ones) at the current intra-op thread setting.
    /// </summary>
    public static ThroughputResult Measure(TrainingOptions options, ImageDataset train, int globalBatchSize, int iterations, int warmupIterations = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(globalBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupIterations);
        var sampler = new ShardBatchSampler([.. Enumerable.Range(0, train.Count)], globalBatchSize, options.Seed, rank: 0);
        using var trainer = new SingleProcessTrainer(options, train);
        var batch = new int[globalBatchSize];
        long iteration = 0;
        for (var i = 0; i < warmupIterations; i++)
        {
            sampler.CopyBatchIndices(iteration++, batch);
            trainer.Step(batch);
        }
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            sampler.CopyBatchIndices(iteration++, batch);
            trainer.Step(batch);
        }
        stopwatch.Stop();
        return new ThroughputResult(options.Model, globalBatchSize, iterations, TorchRuntime.IntraOpThreads, stopwatch.Elapsed);
    }
}
