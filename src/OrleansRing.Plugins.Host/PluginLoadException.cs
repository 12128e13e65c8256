namespace OrleansRing.Plugins.Host;

/// <summary>A plugins folder or assembly could not be loaded: missing folder, bad assembly, invalid descriptor, duplicate name.</summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException()
    {
    }

    public PluginLoadException(string message)
        : base(message)
    {
    }

    public PluginLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
