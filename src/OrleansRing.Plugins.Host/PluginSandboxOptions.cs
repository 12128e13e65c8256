namespace OrleansRing.Plugins.Host;

/// <summary>Limits on hook calls.</summary>
public sealed class PluginSandboxOptions
{
    private readonly TimeSpan _timeLimit = TimeSpan.FromSeconds(30);

    public static PluginSandboxOptions Default { get; } = new();

    /// <summary>
    /// Longest a single hook call may take; <see cref="Timeout.InfiniteTimeSpan"/> for no limit. Generous by default
    /// because omniscient attacks (Min-Max's pairwise distances) scale with N² × L.
    /// </summary>
    public TimeSpan TimeLimit
    {
        get => _timeLimit;
        init => _timeLimit = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The time limit must be positive, or Timeout.InfiniteTimeSpan.");
    }

    public PluginIsolation Isolation { get; init; } = PluginIsolation.DedicatedThread;
}
