namespace OrleansRing.Abstractions;

/// <summary>A run that lost workers (or its coordinator) and carried on from a checkpoint.</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.recovery-event")]
public sealed record RecoveryEvent
{
    /// <summary>The iteration that could not complete.</summary>
    [Id(0)] public required long FailedIteration { get; init; }

    /// <summary>The checkpoint every worker was restored to (−1: the run restarted from its seed).</summary>
    [Id(1)] public required long ResumedFromIteration { get; init; }

    [Id(2)] public required string Reason { get; init; }

    /// <summary>From the failure to the ring running again.</summary>
    [Id(3)] public required double Seconds { get; init; }
}
