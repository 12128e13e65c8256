namespace OrleansRing.Telemetry.Tests;

public sealed class NoListenerOverheadTests
{
    [Fact]
    public void WithoutListeners_AStepsInstrumentation_AllocatesNothing()
    {
        Assert.False(RingTelemetry.Source.HasListeners());
        InstrumentOneStep(); // JIT and static initialisation first
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 10_000; i++)
        {
            InstrumentOneStep();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>What WorkerGrain does around one ring step.</summary>
    private static void InstrumentOneStep()
    {
        using var span = RingTelemetry.StartStep("experiment", "silo", 7, 1, 2, 0, RingAttributes.PhaseScatterReduce, 3, 4, 1_024);
        var traceParent = span?.Id;
        RingTelemetry.LinkToSender(span, traceParent, 5);
        using (RingTelemetry.StartChunkPersist("experiment", "silo", 7, 1, "async", 1_024))
        {
        }
        RingMetrics.RecordChunkPersisted("async");
        RingMetrics.RecordStep(RingAttributes.PhaseScatterReduce, 1, TimeSpan.FromMilliseconds(1));
        RingMetrics.RecordBytesSent("experiment", 1, 1_024);
    }
}
