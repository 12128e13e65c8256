using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

/// <summary>Each value replaced by N(0,1)·0.3: the paper's random value attack.</summary>
public sealed class RandomValueFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "random-value",
        Kind = PluginKind.Attack,
        Description = "Replaces every value it poisons with N(0,1)*scale drawn from the attacker's seeded random source, the paper's random value attack.",
        Parameters =
        [
            PluginParameter.Double("scale", 0.3, "multiplier of the standard normal samples", minimum: 0.0),
            ScopedVectorAttack.ScopeParameter,
        ],
        Reference = PaperReference.Citation,
    };

    public IAttack Create(PluginParameters parameters) =>
        new RandomValueAttack(parameters.GetDouble("scale"), parameters.GetEnum<AttackScope>("scope"));
}
