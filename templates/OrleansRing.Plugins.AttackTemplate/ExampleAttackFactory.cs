using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.AttackTemplate;

/// <summary>
/// What the host discovers: a public class with a parameterless constructor implementing IAttackFactory. It describes
/// the plugin (name, parameters) and creates instances from values the host has already parsed and range-checked.
/// </summary>
public sealed class ExampleAttackFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "example-attack",
        Kind = PluginKind.Attack,
        Description = "Multiplies the values it poisons by factor.",
        Parameters =
        [
            PluginParameter.Double("factor", 2.0, "multiplier applied to every value", minimum: -1000, maximum: 1000),
            ScopedVectorAttack.ScopeParameter,
        ],
        // Set RequiresHonestGradients = true to receive the honest gradients in ContributionContext (omniscient attacks).
    };

    public IAttack Create(PluginParameters parameters) =>
        new ExampleAttack((float)parameters.GetDouble("factor"), parameters.GetEnum<AttackScope>("scope"));
}
