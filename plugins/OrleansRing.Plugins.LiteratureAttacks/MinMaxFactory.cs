using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Min-Max: μ − γ·dev, farthest honest distance no larger than the largest honest pairwise distance.</summary>
public sealed class MinMaxFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "min-max",
        Kind = PluginKind.Attack,
        Description = "Min-Max: contributes mu - gamma*dev with the largest gamma (halving search) such that its largest distance to an honest gradient is at most the largest distance between two honest gradients.",
        Parameters = DistanceSearchParameters.All,
        RequiresHonestGradients = true,
        Reference = LiteratureReference.Shejwalkar,
    };

    public IAttack Create(PluginParameters parameters) => DistanceSearchParameters.Create(minSum: false, parameters);
}
