using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>NaN in every coordinate (no anchor implements it; the natural companion of Inf).</summary>
public sealed class NaNFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "nan",
        Kind = PluginKind.Attack,
        Description = "Sends NaN in every coordinate it poisons; NaN survives every sum and average downstream.",
        Parameters = [ScopedVectorAttack.ScopeParameter],
    };

    public IAttack Create(PluginParameters parameters) => new NaNAttack(parameters.GetEnum<AttackScope>("scope"));
}
