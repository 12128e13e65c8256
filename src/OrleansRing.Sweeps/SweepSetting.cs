namespace OrleansRing.Sweeps;

/// <summary>One parameter's value in one experiment, as the sweep file wrote it (normalised), and where.</summary>
public sealed record SweepSetting(string Key, string Value, SourceLocation Location);
