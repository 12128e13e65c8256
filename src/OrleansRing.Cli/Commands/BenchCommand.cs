using System.CommandLine;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring bench`: measurements with printed figures (speed targets live here, not in tests).</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure the ring: all-reduce alone, training throughput against one process, defences against attacks, or everything against the gloo anchors.")
    {
        BenchAllReduceCommand.Create(),
        BenchTrainCommand.Create(),
        BenchDefencesCommand.Create(),
        BenchCompareCommand.Create(),
    };
}
