using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Inner-product manipulation: send −ε·μ.</summary>
public sealed class IpmFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "ipm",
        Kind = PluginKind.Attack,
        Description = "Inner-product manipulation: contributes -epsilon*mu, mu the honest mean (epsilon 0.1 as FLPoison/ClippedGossip; ByzFL uses 2, Blades 1; large values such as 100 overwhelm the mean).",
        Parameters = [PluginParameter.Double("epsilon", 0.1, "how far to push against the honest mean")],
        RequiresHonestGradients = true,
        Reference = LiteratureReference.Xie,
    };

    public IAttack Create(PluginParameters parameters) => new IpmAttack(parameters.GetDouble("epsilon"));
}
