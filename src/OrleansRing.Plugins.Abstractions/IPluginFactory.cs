namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// The entry point the host looks for: every public, non-abstract class with a parameterless constructor that
/// implements this interface (through <see cref="IAttackFactory"/> or <see cref="IDefenceFactory"/>) is one plugin. One assembly may hold several.
/// </summary>
public interface IPluginFactory
{
    PluginDescriptor Descriptor { get; }
}
