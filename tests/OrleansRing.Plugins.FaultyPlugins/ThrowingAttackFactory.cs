using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

public sealed class ThrowingAttackFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "throwing-attack",
        Kind = PluginKind.Attack,
        Description = "Throws InvalidOperationException in the chosen hook.",
        Parameters = [PluginParameter.Enum("hook", FaultyHook.Contribution, "hook that throws")],
    };

    public IAttack Create(PluginParameters parameters) => new ThrowingAttack(parameters.GetEnum<FaultyHook>("hook"));
}
