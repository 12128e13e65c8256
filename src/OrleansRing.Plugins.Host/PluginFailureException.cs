namespace OrleansRing.Plugins.Host;

/// <summary>A plugin misbehaved inside a hook: it threw, hung past the time limit, or broke the contract.</summary>
public sealed class PluginFailureException : Exception
{
    public PluginFailureException()
        : this("unknown", PluginHook.Create, PluginFailureReason.Threw, "failed")
    {
    }

    public PluginFailureException(string message)
        : this("unknown", PluginHook.Create, PluginFailureReason.Threw, message)
    {
    }

    public PluginFailureException(string message, Exception innerException)
        : this("unknown", PluginHook.Create, PluginFailureReason.Threw, message, innerException)
    {
    }

    /// <param name="pluginName">The plugin's descriptor name.</param>
    /// <param name="hook">Where it failed.</param>
    /// <param name="reason">How it failed.</param>
    /// <param name="detail">What happened, without the plugin and hook (they are prefixed).</param>
    /// <param name="innerException">The plugin's own exception, for <see cref="PluginFailureReason.Threw"/>.</param>
    public PluginFailureException(string pluginName, PluginHook hook, PluginFailureReason reason, string detail, Exception? innerException = null)
        : base($"Plugin '{pluginName}' failed in hook '{HookName(hook)}': {detail}", innerException)
    {
        PluginName = pluginName;
        Hook = hook;
        Reason = reason;
    }

    public string PluginName { get; }

    public PluginHook Hook { get; }

    public PluginFailureReason Reason { get; }

    /// <summary>The hook as written in messages: create, labels, contribution, transmitted.</summary>
    public static string HookName(PluginHook hook) => hook switch
    {
        PluginHook.Create => "create",
        PluginHook.Labels => "labels",
        PluginHook.Contribution => "contribution",
        PluginHook.Transmitted => "transmitted",
        PluginHook.Received => "received",
        PluginHook.Reduction => "reduction",
        PluginHook.Commit => "commit",
        PluginHook.Aggregate => "aggregate",
        PluginHook.Attestation => "attestation",
        _ => hook.ToString(),
    };
}
