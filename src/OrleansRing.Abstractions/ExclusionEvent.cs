namespace OrleansRing.Abstractions;

/// <summary>A worker removed from the ring after a defence flagged it: it takes no part from iteration <see cref="Iteration"/> + 1 on.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.exclusion-event")]
public sealed record ExclusionEvent
{
    /// <summary>The iteration whose detection excluded it (its last).</summary>
    [Id(0)] public required long Iteration { get; init; }

    [Id(1)] public required int Rank { get; init; }

    [Id(2)] public required string Reason { get; init; }

    /// <summary>Workers left in the ring.</summary>
    [Id(3)] public required int RingSize { get; init; }
}
