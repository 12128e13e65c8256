using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>Mimic: send a copy of one honest worker's gradient.</summary>
public sealed class MimicFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "mimic",
        Kind = PluginKind.Attack,
        Description = "Mimic: contributes an exact copy of one honest worker's gradient, over-weighting it in the average.",
        Parameters = [PluginParameter.Int("target", 0, "index of the copied worker among the honest workers in ascending rank order", minimum: 0)],
        RequiresHonestGradients = true,
        Reference = LiteratureReference.Karimireddy,
    };

    public IAttack Create(PluginParameters parameters) => new MimicAttack(parameters.GetInt("target"));
}
