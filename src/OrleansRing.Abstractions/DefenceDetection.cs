namespace OrleansRing.Abstractions;

/// <summary>A suspect named by a defence: which iteration, which worker (original rank), who noticed, and why.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.defence-detection")]
public sealed record DefenceDetection
{
    [Id(0)] public required long Iteration { get; init; }

    /// <summary>The suspect's original rank (0..N−1), whatever its place in a smaller ring.</summary>
    [Id(1)] public required int Rank { get; init; }

    /// <summary>The original rank of the worker whose defence raised it.</summary>
    [Id(2)] public required int DetectedBy { get; init; }

    [Id(3)] public required string Defence { get; init; }

    [Id(4)] public required string Reason { get; init; }

    /// <summary>The defence asked for the suspect's exclusion.</summary>
    [Id(5)] public bool Exclude { get; init; }
}
