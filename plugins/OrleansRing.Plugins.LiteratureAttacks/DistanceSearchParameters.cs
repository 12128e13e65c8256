using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>The parameters Min-Max and Min-Sum share (FLPoison's defaults: γ₀ = 10, tolerance 1e-5, unit-vector deviation).</summary>
internal static class DistanceSearchParameters
{
    public static IReadOnlyList<PluginParameter> All { get; } =
    [
        PluginParameter.Enum("deviation", DeviationKind.UnitVector, "direction away from the mean: unit-vector (mu/|mu|), std (sigma) or sign (sign(mu))"),
        PluginParameter.Double("gamma-init", 10.0, "starting gamma of the halving search", minimum: 1e-9),
        PluginParameter.Double("tolerance", 1e-5, "stop when successive gammas differ by at most this", minimum: 1e-12),
    ];

    public static DistanceSearch Create(bool minSum, PluginParameters parameters) => new(
        minSum,
        parameters.GetEnum<DeviationKind>("deviation"),
        parameters.GetDouble("gamma-init"),
        parameters.GetDouble("tolerance"));
}
