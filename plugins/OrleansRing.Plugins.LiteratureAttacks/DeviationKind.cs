namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>The direction Min-Max and Min-Sum move away from the honest mean.</summary>
internal enum DeviationKind
{
    /// <summary>μ / ‖μ‖ (the NDSS paper's and FLPoison's default).</summary>
    UnitVector = 0,

    /// <summary>The coordinate standard deviation σ (Blades).</summary>
    Std = 1,

    /// <summary>sign(μ).</summary>
    Sign = 2,
}
