namespace OrleansRing.Plugins.Host;

/// <summary>The plugin call a <see cref="PluginFailureException"/> happened in.</summary>
public enum PluginHook
{
    /// <summary>Creating the instance (factory <c>Create</c>, reading <c>Hooks</c>).</summary>
    Create = 0,

    Labels = 1,

    Contribution = 2,

    Transmitted = 3,
}
