using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

public sealed class BadLabelAttackFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "bad-label-attack",
        Kind = PluginKind.Attack,
        Description = "Sets the last label to the class count, one past the last class.",
    };

    public IAttack Create(PluginParameters parameters) => new BadLabelAttack();
}
