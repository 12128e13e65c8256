namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Immutable]
[Alias("orleansring.allreduce-benchmark-report")]
public sealed record AllReduceBenchmarkReport
{
    [Id(0)] public required int Rank { get; init; }

    /// <summary>From this worker's first send to its last receive.</summary>
    [Id(1)] public required double Seconds { get; init; }

    [Id(2)] public required long BytesSent { get; init; }

    /// <summary>SHA-256 of the reduced vector's bytes: equal on every rank when the ring is correct.</summary>
    [Id(3)] public required string ResultHash { get; init; }

    /// <summary>Payload bytes of the defence's own messages, when the ring ran one.</summary>
    [Id(20)] public long DefenceBytesSent { get; init; }

    [Id(21)] public DefenceDetection[] Detections { get; init; } = [];
}
