using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

public sealed class HangingAttackFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "hanging-attack",
        Kind = PluginKind.Attack,
        Description = "Sleeps in the transmitted hook, then overwrites the chunk with -1.",
        Parameters = [PluginParameter.Int("hang-ms", 3000, "how long to block", minimum: 0)],
    };

    public IAttack Create(PluginParameters parameters) => new HangingAttack(TimeSpan.FromMilliseconds(parameters.GetInt("hang-ms")));
}
