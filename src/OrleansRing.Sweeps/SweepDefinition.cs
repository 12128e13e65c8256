namespace OrleansRing.Sweeps;

/// <summary>A parsed sweep file: its name, the keys that vary (in file order) and the expanded grid.</summary>
public sealed record SweepDefinition(
    string Name,
    string? Description,
    string SourcePath,
    IReadOnlyList<string> AxisKeys,
    IReadOnlyList<SweepExperiment> Experiments);
