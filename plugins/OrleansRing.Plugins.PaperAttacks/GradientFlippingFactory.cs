using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

/// <summary>g → −g: the paper's gradient flipping (×−1).</summary>
public sealed class GradientFlippingFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "gradient-flipping",
        Kind = PluginKind.Attack,
        Description = "Negates the values it poisons (x -> -x), the paper's gradient flipping (x-1).",
        Parameters = [ScopedVectorAttack.ScopeParameter],
        Reference = PaperReference.Citation,
    };

    public IAttack Create(PluginParameters parameters) =>
        new GradientFlippingAttack(parameters.GetEnum<AttackScope>("scope"));
}
