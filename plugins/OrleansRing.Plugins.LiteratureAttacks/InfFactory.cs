using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>+∞ in every coordinate (ByzFL's Inf).</summary>
public sealed class InfFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "inf",
        Kind = PluginKind.Attack,
        Description = "Sends +infinity in every coordinate it poisons; one such value makes the whole sum infinite.",
        Parameters = [ScopedVectorAttack.ScopeParameter],
        Reference = LiteratureReference.ByzFl,
    };

    public IAttack Create(PluginParameters parameters) => new InfAttack(parameters.GetEnum<AttackScope>("scope"));
}
