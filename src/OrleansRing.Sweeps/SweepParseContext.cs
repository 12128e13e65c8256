namespace OrleansRing.Sweeps;

/// <summary>What parsing a value needs beyond its text: relative paths are relative to the sweep file's folder.</summary>
public sealed record SweepParseContext(string BaseFolder);
