using OrleansRing.Abstractions;
using OrleansRing.Sweeps;

namespace OrleansRing.Reporting;

/// <summary>One experiment of a sweep as the report sees it: its record and, once finished, its result.</summary>
public sealed record ReportExperiment(SweepExperimentRecord Record, ExperimentResult? Result)
{
    public string? Setting(string key) => Record.Settings.GetValueOrDefault(key);

    /// <summary>Final test accuracy of a finished run (a diverged run keeps the accuracy it ended with).</summary>
    public double? Accuracy => Result?.FinalTestAccuracy;
}
