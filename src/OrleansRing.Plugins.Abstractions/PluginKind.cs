namespace OrleansRing.Plugins.Abstractions;

/// <summary>What a plugin does to a ring run.</summary>
public enum PluginKind
{
    /// <summary>Poisons labels, gradients or transmitted chunks on a malicious worker.</summary>
    Attack = 0,

    /// <summary>Protects the aggregate: checks, robust reductions, commitments, run by every worker (<see cref="IDefenceFactory"/>).</summary>
    Defence = 1,
}
