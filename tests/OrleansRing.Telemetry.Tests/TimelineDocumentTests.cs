using System.Text;

namespace OrleansRing.Telemetry.Tests;

public sealed class TimelineDocumentTests
{
    private static TimelineEvent Bar(string name, int rank, long start, long duration, long iteration) => new()
    {
        Name = name,
        Category = RingSpans.Step,
        ProcessId = TimelineDocument.WorkersProcessId,
        ThreadId = rank,
        StartMicroseconds = start,
        DurationMicroseconds = duration,
        Args = new Dictionary<string, object> { [RingAttributes.Iteration] = iteration, [RingAttributes.Phase] = "all-gather", ["ratio"] = 0.5, ["flag"] = true },
    };

    private static TimelineDocument Fragment(int rank, params TimelineEvent[] events) =>
        new() { ExperimentId = "e", Tracks = [TimelineTrack.ForRank(rank)], Events = events };

    [Fact]
    public void Merge_RebasesOnTheEarliestSpan_OrdersByStart_AndKeepsEveryTrack()
    {
        var merged = TimelineDocument.Merge("e", [
            Fragment(1, Bar("b", 1, 1_000_500, 10, 0)),
            Fragment(0, Bar("a", 0, 1_000_000, 30, 0), Bar("c", 0, 1_000_900, 5, 1)),
            new TimelineDocument { ExperimentId = "e", Tracks = [TimelineTrack.Coordinator], DroppedEvents = 3 },
        ]);

        Assert.Equal(1_000_000, merged.OriginUnixMicroseconds);
        Assert.Equal(["a", "b", "c"], merged.Events.Select(e => e.Name));
        Assert.Equal([0L, 500, 900], merged.Events.Select(e => e.StartMicroseconds));
        Assert.Equal([TimelineTrack.Coordinator, TimelineTrack.ForRank(0), TimelineTrack.ForRank(1)], merged.Tracks);
        Assert.Equal([0, 1], merged.WorkerTracks.Select(t => t.Rank!.Value));
        Assert.Equal(3, merged.DroppedEvents);
    }

    [Fact]
    public void Merge_RefusesAFragmentOfAnotherExperiment()
    {
        var error = Assert.Throws<ArgumentException>(() => TimelineDocument.Merge("e", [Fragment(0) with { ExperimentId = "other" }]));

        Assert.Contains("'other'", error.Message);
    }

    [Fact]
    public void Json_RoundTrips_TracksEventsAndTypedArguments()
    {
        var document = TimelineDocument.Merge("e", [Fragment(2, Bar("x", 2, 5_000, 7, 4)), new TimelineDocument { ExperimentId = "e", Tracks = [TimelineTrack.Coordinator] }]);

        var read = TimelineDocument.Parse(document.ToJsonBytes());

        Assert.Equal(document.ExperimentId, read.ExperimentId);
        Assert.Equal(document.OriginUnixMicroseconds, read.OriginUnixMicroseconds);
        Assert.Equal(document.Tracks, read.Tracks);
        var e = Assert.Single(read.Events);
        Assert.Equal(("x", RingSpans.Step, 1, 2, 0L, 7L), (e.Name, e.Category, e.ProcessId, e.ThreadId, e.StartMicroseconds, e.DurationMicroseconds));
        Assert.Equal(4L, e.GetLong(RingAttributes.Iteration));
        Assert.Equal("all-gather", e.GetString(RingAttributes.Phase));
        Assert.Equal(0.5, e.Args["ratio"]);
        Assert.Equal(true, e.Args["flag"]);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("""{"events": []}""", "'traceEvents' array")]
    [InlineData("""{"traceEvents": [{"ph": "X", "name": "a", "pid": 1, "tid": 0, "dur": 3}]}""", "traceEvents[0]: 'ts' must be a number")]
    [InlineData("""{"traceEvents": [], "otherData": {"format": "something-else/2"}}""", "otherData.format")]
    public void Parse_NamesWhatIsWrongAndWhere(string json, string expected)
    {
        var error = Assert.Throws<TimelineFormatException>(() => TimelineDocument.Parse(Encoding.UTF8.GetBytes(json), "t.json"));

        Assert.StartsWith("t.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_ReadsAPlainChromeTrace_WithFractionalTimestampsAndUnnamedThreads()
    {
        var read = TimelineDocument.Parse(Encoding.UTF8.GetBytes("""{"traceEvents": [{"ph": "X", "name": "a", "pid": 1, "tid": 5, "ts": 10.6, "dur": 2.2}, {"ph": "i", "name": "ignored", "pid": 1, "tid": 5, "ts": 1}]}"""));

        var e = Assert.Single(read.Events);
        Assert.Equal((11L, 2L), (e.StartMicroseconds, e.DurationMicroseconds));
        Assert.Equal(5, Assert.Single(read.WorkerTracks).Rank);
    }
}
