namespace OrleansRing.Plugins.Abstractions;

/// <summary>Creates configured attack instances; one instance per malicious worker.</summary>
public interface IAttackFactory : IPluginFactory
{
    /// <summary>
    /// Creates an attack from values already parsed and range-checked against <see cref="IPluginFactory.Descriptor"/>.
    /// Throw <see cref="ArgumentException"/> for a combination of values that is invalid; the host reports it as a
    /// configuration error.
    /// </summary>
    IAttack Create(PluginParameters parameters);
}
