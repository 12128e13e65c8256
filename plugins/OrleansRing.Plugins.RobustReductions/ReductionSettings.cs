using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

/// <summary>The parameters every robust reduction shares: declared f, pre-aggregations, outlier detection and exclusion.</summary>
internal sealed record ReductionSettings(
    int F,
    IReadOnlyList<PreAggregationKind> Pre,
    double ClipThreshold,
    int BucketSize,
    int FlagAfter,
    double OutlierFactor,
    bool Exclude)
{
    public static IReadOnlyList<PluginParameter> Parameters { get; } =
    [
        PluginParameter.Int("f", 1, "declared number of Byzantine workers the rule tolerates", 0, 1023),
        PluginParameter.String("pre", "none", "pre-aggregations before the rule, '+'-separated: clip, arc, nnm, bucketing (e.g. nnm or clip+bucketing)"),
        PluginParameter.Double("clip-threshold", 2.0, "norm bound of pre=clip (ByzFL's static clipping c)", 1e-12),
        PluginParameter.Int("bucket-size", 2, "vectors per bucket for pre=bucketing", 1, 1024),
        PluginParameter.Int("flag-after", 3, "flag a worker whose whole-vector distance to the aggregate exceeds outlier-factor x the median distance in this many consecutive iterations (0: no detection, no extra round)", 0, 1_000_000),
        PluginParameter.Double("outlier-factor", 3.0, "how many times the median distance to the aggregate makes an outlier", 1.0),
        PluginParameter.Bool("exclude", false, "flags ask the coordinator to exclude the worker from the ring"),
    ];

    public static ReductionSettings From(PluginParameters parameters) => new(
        parameters.GetInt("f"),
        PreAggregations.Parse(parameters.GetString("pre")),
        parameters.GetDouble("clip-threshold"),
        parameters.GetInt("bucket-size"),
        parameters.GetInt("flag-after"),
        parameters.GetDouble("outlier-factor"),
        parameters.GetBool("exclude"));

    public static IReadOnlyList<PluginParameter> With(params PluginParameter[] specific) => [.. specific, .. Parameters];

    /// <summary>The shared parameters with another default for <c>pre</c>, for a rule that is only accurate after one.</summary>
    public static IReadOnlyList<PluginParameter> WithDefaultPre(string pre, string why) =>
        [.. Parameters.Select(p => p.Name == "pre" ? PluginParameter.String("pre", pre, $"{p.Description}; default {pre}: {why}; none for the rule alone") : p)];
}
