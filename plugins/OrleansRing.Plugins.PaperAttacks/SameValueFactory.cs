using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

/// <summary>Every value set to 100: the paper's same value attack.</summary>
public sealed class SameValueFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "same-value",
        Kind = PluginKind.Attack,
        Description = "Sets every value it poisons to the constant value, the paper's same value attack.",
        Parameters =
        [
            PluginParameter.Double("value", 100.0, "the constant sent in every coordinate"),
            ScopedVectorAttack.ScopeParameter,
        ],
        Reference = PaperReference.Citation,
    };

    public IAttack Create(PluginParameters parameters) =>
        new SameValueAttack((float)parameters.GetDouble("value"), parameters.GetEnum<AttackScope>("scope"));
}
