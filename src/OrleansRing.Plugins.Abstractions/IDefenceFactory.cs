namespace OrleansRing.Plugins.Abstractions;

/// <summary>Creates configured defence instances; one instance per worker of the ring (every worker runs the defence).</summary>
public interface IDefenceFactory : IPluginFactory
{
    /// <summary>
    /// Creates a defence from values already parsed and range-checked against <see cref="IPluginFactory.Descriptor"/>.
    /// Throw <see cref="ArgumentException"/> for a combination of values that is invalid.
    /// </summary>
    IDefence Create(PluginParameters parameters);
}
