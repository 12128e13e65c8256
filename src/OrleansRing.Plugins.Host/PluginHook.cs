namespace OrleansRing.Plugins.Host;

/// <summary>The plugin call a <see cref="PluginFailureException"/> happened in.</summary>
public enum PluginHook
{
    /// <summary>Creating the instance (factory <c>Create</c>, reading <c>Hooks</c>).</summary>
    Create = 0,

    Labels = 1,

    Contribution = 2,

    Transmitted = 3,

    /// <summary>A defence's check of a received chunk.</summary>
    Received = 4,

    /// <summary>A defence's robust reduction at a chunk's owner.</summary>
    Reduction = 5,

    /// <summary>A defence's commitment to an owned chunk.</summary>
    Commit = 6,

    /// <summary>A defence's hook on the averaged gradient.</summary>
    Aggregate = 7,

    /// <summary>A defence's replica attestation or their comparison.</summary>
    Attestation = 8,
}
