using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Send N(μₙ, σₙ²) per coordinate (ByzFL/FLPoison defaults 0 and 1).</summary>
public sealed class GaussianNoiseFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "gaussian-noise",
        Kind = PluginKind.Attack,
        Description = "Sends N(mean, std^2) noise in every coordinate it poisons (mode=replace), or adds that noise to the values (mode=add).",
        Parameters =
        [
            PluginParameter.Double("mean", 0.0, "mean of the noise"),
            PluginParameter.Double("std", 1.0, "standard deviation of the noise", minimum: 0.0),
            PluginParameter.Enum("mode", NoiseMode.Replace, "replace: send the noise; add: send values + noise"),
            ScopedVectorAttack.ScopeParameter,
        ],
        Reference = LiteratureReference.Blanchard,
    };

    public IAttack Create(PluginParameters parameters) => new GaussianNoiseAttack(
        parameters.GetDouble("mean"),
        parameters.GetDouble("std"),
        parameters.GetEnum<NoiseMode>("mode"),
        parameters.GetEnum<AttackScope>("scope"));
}
