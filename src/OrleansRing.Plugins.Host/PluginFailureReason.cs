namespace OrleansRing.Plugins.Host;

public enum PluginFailureReason
{
    /// <summary>The plugin threw; see <see cref="Exception.InnerException"/>.</summary>
    Threw = 0,

    /// <summary>The call ran past the time limit.</summary>
    TimedOut = 1,

    /// <summary>A replacement had another length than the vector it replaces.</summary>
    WrongLength = 2,

    /// <summary>Another broken promise: a label outside the classes, a negative delay, a null instance.</summary>
    InvalidResult = 3,

    /// <summary>The instance was stopped by an earlier time-out and is not called again.</summary>
    Stopped = 4,
}
