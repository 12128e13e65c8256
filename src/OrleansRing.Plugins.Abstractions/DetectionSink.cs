namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Where a defence's hooks report suspects. The host hands one to every context of an iteration and reads it when the
/// iteration ends; flags asking for exclusion take effect between iterations. Not thread-safe (hooks run one at a time).
/// </summary>
public sealed class DetectionSink
{
    private readonly List<DefenceFlag> _flags = [];

    public DetectionSink(int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        WorldSize = worldSize;
    }

    public int WorldSize { get; }

    public IReadOnlyList<DefenceFlag> Flags => _flags;

    /// <summary>Names <paramref name="rank"/> (a rank of the current ring) as a suspect.</summary>
    public void Flag(int rank, string reason, bool exclude = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, WorldSize);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _flags.Add(new DefenceFlag(rank, reason, exclude));
    }

    /// <summary>Forgets the flags (the host calls it when it has read them).</summary>
    public void Clear() => _flags.Clear();
}
