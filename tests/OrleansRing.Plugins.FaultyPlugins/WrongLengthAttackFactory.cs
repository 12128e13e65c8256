using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

public sealed class WrongLengthAttackFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "wrong-length-attack",
        Kind = PluginKind.Attack,
        Description = "Returns a replacement delta values longer or shorter than the vector.",
        Parameters = [PluginParameter.Int("delta", -1, "replacement length minus vector length", minimum: -1000, maximum: 1000)],
    };

    public IAttack Create(PluginParameters parameters) => new WrongLengthAttack(parameters.GetInt("delta"));
}
