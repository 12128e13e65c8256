using System.Diagnostics.Metrics;

namespace OrleansRing.Telemetry;

/// <summary>
/// The ring's instruments on the Meter <see cref="RingTelemetry.MeterName"/>. The Record helpers check
/// <see cref="Instrument.Enabled"/> first, so that without a meter listener they box no tag and allocate nothing.
/// </summary>
public static class RingMetrics
{
    public const string StepDurationName = "orleansring.ring.step.duration";
    public const string IterationDurationName = "orleansring.iteration.duration";
    public const string BytesSentName = "orleansring.ring.bytes_sent";
    public const string ChunksPersistedName = "orleansring.chunks.persisted";
    public const string TrainingLossName = "orleansring.training.loss";
    public const string TestAccuracyName = "orleansring.test.accuracy";
    public const string DetectionsName = "orleansring.defence.detections";

    // Seconds from a sub-millisecond ring step on one silo to a minute-long iteration; the SDK's default buckets are for milliseconds.
    private static readonly double[] s_secondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public static Meter Meter { get; } = new(RingTelemetry.MeterName, typeof(RingMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Seconds of one ring step on one worker; tags <see cref="RingAttributes.Phase"/>, <see cref="RingAttributes.Rank"/>.</summary>
    public static Histogram<double> StepDuration { get; } = Meter.CreateHistogram(
        StepDurationName, "s", "Duration of one scatter-reduce or all-gather step on one worker", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_secondsBuckets });

    /// <summary>Seconds of one iteration across the ring (the coordinator's barrier to barrier); tag <see cref="RingAttributes.ExperimentId"/>.</summary>
    public static Histogram<double> IterationDuration { get; } = Meter.CreateHistogram(
        IterationDurationName, "s", "Duration of one training iteration across the ring", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_secondsBuckets });

    /// <summary>Payload bytes a worker sent along the ring; tags <see cref="RingAttributes.ExperimentId"/>, <see cref="RingAttributes.Rank"/>.</summary>
    public static Counter<long> BytesSent { get; } = Meter.CreateCounter<long>(BytesSentName, "By", "Gradient bytes sent along the ring per worker");

    /// <summary>Chunks written (or queued, in async mode) to the chunk store; tag <see cref="RingAttributes.Persistence"/>.</summary>
    public static Counter<long> ChunksPersisted { get; } = Meter.CreateCounter<long>(ChunksPersistedName, "{chunk}", "Gradient chunks persisted to the chunk store");

    /// <summary>Mean training loss of the honest workers after each iteration; tag <see cref="RingAttributes.ExperimentId"/>.</summary>
    public static Gauge<double> TrainingLoss { get; } = Meter.CreateGauge<double>(TrainingLossName, unit: null, "Mean training loss of the honest workers");

    /// <summary>Test accuracy (0..1) at each evaluation; tag <see cref="RingAttributes.ExperimentId"/>.</summary>
    public static Gauge<double> TestAccuracy { get; } = Meter.CreateGauge<double>(TestAccuracyName, unit: "1", "Test accuracy of the honest replicas");

    /// <summary>Contributions a defence flagged; tags <see cref="RingAttributes.ExperimentId"/>, <see cref="RingAttributes.DefenceName"/>, <see cref="RingAttributes.DefenceRank"/>.</summary>
    public static Counter<long> Detections { get; } = Meter.CreateCounter<long>(DetectionsName, "{detection}", "Contributions flagged by a defence");

    public static void RecordStep(string phase, int rank, TimeSpan elapsed)
    {
        if (StepDuration.Enabled)
        {
            StepDuration.Record(elapsed.TotalSeconds, new(RingAttributes.Phase, phase), new(RingAttributes.Rank, rank));
        }
    }

    public static void RecordBytesSent(string experimentId, int rank, long bytes)
    {
        if (BytesSent.Enabled)
        {
            BytesSent.Add(bytes, new(RingAttributes.ExperimentId, experimentId), new(RingAttributes.Rank, rank));
        }
    }

    public static void RecordChunkPersisted(string persistence)
    {
        if (ChunksPersisted.Enabled)
        {
            ChunksPersisted.Add(1, new KeyValuePair<string, object?>(RingAttributes.Persistence, persistence));
        }
    }

    /// <summary>After each iteration on the coordinator: its duration, the training loss and, on evaluation iterations, the test accuracy.</summary>
    public static void RecordIteration(string experimentId, double seconds, double trainLoss, double? testAccuracy)
    {
        var tag = new KeyValuePair<string, object?>(RingAttributes.ExperimentId, experimentId);
        if (IterationDuration.Enabled)
        {
            IterationDuration.Record(seconds, tag);
        }
        if (TrainingLoss.Enabled)
        {
            TrainingLoss.Record(trainLoss, tag);
        }
        if (testAccuracy is { } accuracy && TestAccuracy.Enabled)
        {
            TestAccuracy.Record(accuracy, tag);
        }
    }

    /// <summary>For defences: one flagged contribution of <paramref name="judgedRank"/>.</summary>
    public static void RecordDetection(string experimentId, string defence, int judgedRank)
    {
        if (Detections.Enabled)
        {
            Detections.Add(1, new(RingAttributes.ExperimentId, experimentId), new(RingAttributes.DefenceName, defence), new(RingAttributes.DefenceRank, judgedRank));
        }
    }
}
