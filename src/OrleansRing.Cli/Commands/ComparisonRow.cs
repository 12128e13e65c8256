namespace OrleansRing.Cli.Commands;

/// <summary>
/// One target of `bench compare`: the medians over rounds of the anchor's and our figure, their ratio and the goal
/// it is held to. <see cref="Anchor"/> is null where the target is absolute (peak memory) or compares two of our figures.
/// </summary>
public sealed record ComparisonRow(
    string Target,
    string Unit,
    string Anchor,
    double? AnchorMedian,
    string Ours,
    double OursMedian,
    double Ratio,
    string Goal,
    bool Met,
    IReadOnlyList<double> AnchorValues,
    IReadOnlyList<double> OursValues);
