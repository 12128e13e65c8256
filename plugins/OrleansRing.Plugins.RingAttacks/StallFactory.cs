using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Stall: delay every send by a fixed time.</summary>
public sealed class StallFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "stall",
        Kind = PluginKind.Attack,
        Description = "Delays each chunk it sends by delay-ms (values untouched), straggling the whole ring and probing its time-outs.",
        Parameters =
        [
            PluginParameter.Int("delay-ms", 1000, "delay before each send, in milliseconds", minimum: 0, maximum: 600_000),
            PluginParameter.Enum("phase", StallPhase.All, "which sends to delay: all, scatter-reduce or all-gather"),
        ],
        Reference = RingReference.InTransit,
    };

    public IAttack Create(PluginParameters parameters) => new StallAttack(
        TimeSpan.FromMilliseconds(parameters.GetInt("delay-ms")),
        parameters.GetEnum<StallPhase>("phase"));
}
