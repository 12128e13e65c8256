namespace OrleansRing.Storage;

/// <summary>Shared pieces of the chunk and checkpoint naming scheme.</summary>
internal static class BlobNameSegments
{
    public const string ScatterReduce = "scatter-reduce";
    public const string AllGather = "allgather";
    public const string Checkpoints = "checkpoints";
    public const string Bundles = "bundles";

    public const int IterationWidth = 8;

    public static string ToSegment(RingPhase phase) => phase switch
    {
        RingPhase.ScatterReduce => ScatterReduce,
        RingPhase.AllGather => AllGather,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown ring phase."),
    };

    public static bool TryParsePhase(ReadOnlySpan<char> segment, out RingPhase phase)
    {
        if (segment.SequenceEqual(ScatterReduce))
        {
            phase = RingPhase.ScatterReduce;
            return true;
        }
        if (segment.SequenceEqual(AllGather))
        {
            phase = RingPhase.AllGather;
            return true;
        }
        phase = default;
        return false;
    }

    /// <summary>Exactly <paramref name="width"/> ASCII digits: fixed widths keep lexical order equal to numeric order.</summary>
    public static bool TryParseDigits(ReadOnlySpan<char> segment, int width, out long value)
    {
        value = 0;
        if (segment.Length != width)
        {
            return false;
        }
        foreach (var c in segment)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    /// <summary>True when <paramref name="segment"/> is an 8-digit iteration folder such as "00000012".</summary>
    public static bool TryParseIteration(ReadOnlySpan<char> segment, out long iteration) =>
        TryParseDigits(segment, IterationWidth, out iteration);

    public static string IterationSegment(long iteration) => iteration.ToString("D8");

    public static T InRange<T>(T value, T max, string name)
        where T : struct, IComparable<T>
    {
        if (value.CompareTo(default) < 0 || value.CompareTo(max) > 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, {max}] so that it fits the fixed-width blob name.");
        }
        return value;
    }
}
