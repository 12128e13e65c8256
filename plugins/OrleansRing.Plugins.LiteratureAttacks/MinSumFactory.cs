using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Min-Sum: μ − γ·dev, sum of squared honest distances no larger than the largest honest sum.</summary>
public sealed class MinSumFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "min-sum",
        Kind = PluginKind.Attack,
        Description = "Min-Sum: contributes mu - gamma*dev with the largest gamma (halving search) such that its sum of squared distances to the honest gradients is at most the largest such sum of an honest gradient.",
        Parameters = DistanceSearchParameters.All,
        RequiresHonestGradients = true,
        Reference = LiteratureReference.Shejwalkar,
    };

    public IAttack Create(PluginParameters parameters) => DistanceSearchParameters.Create(minSum: true, parameters);
}
