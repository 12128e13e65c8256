using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class GeometricMedianFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "geometric-median",
        Kind = PluginKind.Defence,
        Description = "Geometric median by smoothed Weiszfeld at the chunk owners; each iteration's whole-vector distances are assembled from per-chunk parts.",
        Parameters = ReductionSettings.With(PluginParameter.Int("iterations", 3, "Weiszfeld iterations T (ByzFL default)", 1, 100), PluginParameter.Double("nu", 0.1, "floor on the distances (smoothing)", 1e-12)),
        Reference = ReductionReference.GeometricMedian,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("geometric-median", new GeometricMedianRule(parameters.GetInt("iterations"), parameters.GetDouble("nu")), ReductionSettings.From(parameters));
}
