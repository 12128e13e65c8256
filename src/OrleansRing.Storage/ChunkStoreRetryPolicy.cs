namespace OrleansRing.Storage;

/// <summary>
/// How <see cref="RetryingChunkStore"/> retries <see cref="ChunkStoreUnavailableException"/>s: exponential
/// backoff with jitter (so workers do not hammer a recovering store in lockstep), bounded by a total time
/// limit per operation rather than an attempt count, because what matters to the ring is how long it waits.
/// </summary>
public sealed record ChunkStoreRetryPolicy
{
    /// <summary>30 s in all, 0.2 s doubling to 5 s between attempts.</summary>
    public static ChunkStoreRetryPolicy Default { get; } = new();

    /// <summary>Wait before the second attempt.</summary>
    public TimeSpan InitialDelay { get; init => field = Positive(value, nameof(InitialDelay)); } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxDelay { get; init => field = Positive(value, nameof(MaxDelay)); } = TimeSpan.FromSeconds(5);

    /// <summary>Each wait is this many times the one before, up to <see cref="MaxDelay"/>.</summary>
    public double BackoffFactor
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BackoffFactor), value, "BackoffFactor must be at least 1.");
    } = 2;

    /// <summary>Each wait is varied by up to this fraction either way.</summary>
    public double Jitter
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(Jitter), value, "Jitter must be in [0, 1).");
    } = 0.2;

    /// <summary>
    /// Longest an operation may keep failing, attempts included, before <see cref="ChunkStoreUnreachableException"/>.
    /// Keep it under the Orleans response timeout of the grain call that waits on the store (30 s by default).
    /// </summary>
    public TimeSpan TimeLimit { get; init => field = Positive(value, nameof(TimeLimit)); } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan GetDelay(int attempt, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var seconds = Math.Min(InitialDelay.TotalSeconds * Math.Pow(BackoffFactor, attempt - 1), MaxDelay.TotalSeconds);
        var spread = 1 + (Jitter * ((2 * (random ?? Random.Shared).NextDouble()) - 1));
        return TimeSpan.FromSeconds(seconds * spread);
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
}
