using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

/// <summary>g → scale·g with scale −4: the paper's gradient ascent.</summary>
public sealed class GradientAscentFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "gradient-ascent",
        Kind = PluginKind.Attack,
        Description = "Multiplies the values it poisons by scale (x -> scale*x), the paper's gradient ascent (x-4).",
        Parameters =
        [
            PluginParameter.Double("scale", -4.0, "factor applied to every value"),
            ScopedVectorAttack.ScopeParameter,
        ],
        Reference = PaperReference.Citation,
    };

    public IAttack Create(PluginParameters parameters) =>
        new GradientAscentAttack((float)parameters.GetDouble("scale"), parameters.GetEnum<AttackScope>("scope"));
}
