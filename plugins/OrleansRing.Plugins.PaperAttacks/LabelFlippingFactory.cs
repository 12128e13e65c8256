using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

/// <summary>y → (C−1)−y, i.e. 9−y on CIFAR-10: the paper's label flipping.</summary>
public sealed class LabelFlippingFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "label-flipping",
        Kind = PluginKind.Attack,
        Description = "Trains on flipped labels y -> (C-1)-y (9-y on CIFAR-10), the paper's label flipping; the gradient it then computes is sent honestly.",
        Reference = PaperReference.Citation,
    };

    public IAttack Create(PluginParameters parameters) => new LabelFlippingAttack();
}
