using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Send −μ, the negated mean of the honest gradients (ByzFL's SignFlipping).</summary>
public sealed class SignFlippingMeanFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "sign-flipping-mean",
        Kind = PluginKind.Attack,
        Description = "Contributes -mu, the negated coordinate mean of the honest gradients.",
        RequiresHonestGradients = true,
        Reference = LiteratureReference.AllenZhu,
    };

    public IAttack Create(PluginParameters parameters) => new SignFlippingMeanAttack();
}
