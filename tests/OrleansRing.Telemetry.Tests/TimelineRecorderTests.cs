using System.Diagnostics;

namespace OrleansRing.Telemetry.Tests;

public sealed class TimelineRecorderTests
{
    [Fact]
    public void Recorder_KeepsItsOwnSilosSpans_PerRank_AndHandsEachOverOnce()
    {
        using var recorder = new TimelineRecorder(enabled: true, silo: "silo-a");
        using (var iteration = RingTelemetry.StartWorkerIteration("e", "silo-a", 3, rank: 2, workers: 4, generation: 0, benchmark: false))
        {
            using (RingTelemetry.StartStep("e", "silo-a", 3, 2, 3, 1, RingAttributes.PhaseAllGather, 1, 0, 400))
            {
            }
            using (RingTelemetry.StartStep("e", "silo-b", 3, 1, 2, 0, RingAttributes.PhaseAllGather, 1, 3, 400))
            {
            }
        }
        using (RingTelemetry.StartIteration("e", "silo-a", 3, generation: 0))
        {
        }

        var rank2 = recorder.TakeFragment("e", 2);
        var coordinator = recorder.TakeFragment("e", rank: null);

        Assert.Equal([TimelineTrack.ForRank(2)], rank2.Tracks);
        Assert.Equal(["iteration 3", "all-gather 1"], rank2.Events.Select(e => e.Name));
        Assert.All(rank2.Events, e => Assert.Equal((TimelineDocument.WorkersProcessId, 2), (e.ProcessId, e.ThreadId)));
        var step = rank2.Events[1];
        Assert.Equal(RingSpans.Step, step.Category);
        Assert.Equal(400L, step.GetLong(RingAttributes.Bytes));
        Assert.Equal(3L, step.GetLong(RingAttributes.Successor));
        Assert.Matches("^[0-9a-f]{16}$", step.GetString("span_id"));
        Assert.Equal(["iteration 3"], coordinator.Events.Select(e => e.Name));
        Assert.Equal(TimelineTrack.Coordinator, Assert.Single(coordinator.Tracks));
        Assert.Empty(recorder.TakeFragment("e", 2).Events);
        Assert.Empty(recorder.TakeFragment("e", 1).Events); // silo-b's span is not this recorder's
    }

    [Fact]
    public void Recorder_PastItsCapacity_CountsWhatItDrops()
    {
        using var recorder = new TimelineRecorder(enabled: true, silo: "s", capacityPerTrack: 3);
        for (var i = 0; i < 5; i++)
        {
            using (RingTelemetry.StartOnWorker(RingSpans.Compute, "e", "s", i, rank: 0))
            {
            }
        }

        var fragment = recorder.TakeFragment("e", 0);

        Assert.Equal(3, fragment.Events.Count);
        Assert.Equal(2, fragment.DroppedEvents);
    }

    [Fact]
    public void DisabledRecorder_ListensToNothing_SoNoSpanIsCreated()
    {
        using var recorder = new TimelineRecorder(enabled: false, silo: "s");

        using var span = RingTelemetry.StartStep("e", "s", 0, 0, 1, 3, RingAttributes.PhaseScatterReduce, 0, 0, 4);

        Assert.False(recorder.IsEnabled);
        Assert.False(RingTelemetry.Source.HasListeners());
        Assert.Null(span);
        Assert.Null(Activity.Current);
    }
}
