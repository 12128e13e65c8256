namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// What <see cref="IAttack.OnTransmit"/> returns: optionally a same-length replacement for the chunk, and optionally a
/// delay the worker waits (asynchronously) before sending. <c>default</c> means "send the chunk now, as it is".
/// </summary>
public readonly ref struct TransmitResult
{
    private TransmitResult(ReadOnlySpan<float> replacement, bool isReplaced, TimeSpan delay)
    {
        Replacement = replacement;
        IsReplaced = isReplaced;
        Delay = delay;
    }

    public static TransmitResult Unchanged => default;

    public bool IsReplaced { get; }

    /// <summary>Must have the chunk's length; the host rejects any other length.</summary>
    public ReadOnlySpan<float> Replacement { get; }

    /// <summary>How long to hold the send back; zero for none. Negative delays are rejected by the host.</summary>
    public TimeSpan Delay { get; }

    public static TransmitResult Replace(ReadOnlySpan<float> values) => new(values, isReplaced: true, TimeSpan.Zero);

    public static TransmitResult Replace(ReadOnlySpan<float> values, TimeSpan delay) => new(values, isReplaced: true, delay);

    public static TransmitResult Delayed(TimeSpan delay) => new(default, isReplaced: false, delay);
}
