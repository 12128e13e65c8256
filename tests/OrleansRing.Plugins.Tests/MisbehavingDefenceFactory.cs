using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

/// <summary>An in-process defence that throws on receive and hangs in its reduction (for the sandbox tests).</summary>
public sealed class MisbehavingDefenceFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "misbehaving-defence",
        Kind = PluginKind.Defence,
        Description = "Throws on every received chunk; its reduction never returns.",
    };

    public IDefence Create(PluginParameters parameters) => new MisbehavingDefence();
}
