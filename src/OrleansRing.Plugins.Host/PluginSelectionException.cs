namespace OrleansRing.Plugins.Host;

/// <summary>
/// A plugin selection (<c>--attack NAME:key=value</c> or its JSON form) is malformed, names an unknown plugin or
/// parameter, or gives a bad value. The message says what is valid.
/// </summary>
public sealed class PluginSelectionException : Exception
{
    public PluginSelectionException()
    {
    }

    public PluginSelectionException(string message)
        : base(message)
    {
    }

    public PluginSelectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
