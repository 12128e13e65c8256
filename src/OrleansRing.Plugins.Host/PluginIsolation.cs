namespace OrleansRing.Plugins.Host;

/// <summary>How a <see cref="SandboxedAttack"/> runs hook calls.</summary>
public enum PluginIsolation
{
    /// <summary>
    /// On a dedicated thread per instance, over a private copy of the data: a hang is detected at the time limit and
    /// the caller's buffers are never touched by a plugin that is still running. Costs two copies and a thread
    /// hand-off per call.
    /// </summary>
    DedicatedThread = 0,

    /// <summary>
    /// On the caller's thread, in place: no copies, but a hang blocks the caller forever and an overrun is only
    /// reported after the hook returns. For trusted plugins and benchmarks.
    /// </summary>
    Inline = 1,
}
