namespace OrleansRing.Abstractions;

/// <summary>
/// One ring step's chunk, sent by <see cref="SenderRank"/> to its successor. The payload is the chunk's
/// float32 values as raw little-endian bytes: Orleans serialises byte memory as one length-prefixed
/// block, where a float[] would cost a codec call and a tag byte per element. [Immutable] lets a
/// same-silo call hand the payload over without a deep copy; the sender never rewrites a chunk's
/// bytes until its successor has consumed them (see WorkerGrain).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.chunk-message")]
public sealed record ChunkMessage
{
    [Id(0)] public required string ExperimentId { get; init; }

    [Id(1)] public required long Iteration { get; init; }

    [Id(2)] public required RingPhase Phase { get; init; }

    [Id(3)] public required int Step { get; init; }

    [Id(4)] public required int ChunkIndex { get; init; }

    [Id(5)] public required int SenderRank { get; init; }

    /// <summary>The chunk's values; empty in <see cref="ChunkPersistence.Reference"/> mode, where <see cref="BlobName"/> says where they are.</summary>
    [Id(6)] public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Set in <see cref="ChunkPersistence.Reference"/> mode: the durable blob holding the payload.</summary>
    [Id(7)] public string? BlobName { get; init; }

    /// <summary>The sender's ring generation (<see cref="WorkerAssignment.Generation"/>).</summary>
    [Id(8)] public int Generation { get; init; }

    /// <summary>
    /// The W3C traceparent of the sender's ring-step span when tracing is on (null otherwise): the receiver links its
    /// own step span to it, so a trace shows which send each receive waited for.
    /// </summary>
    [Id(9)] public string? TraceParent { get; init; }

    public override string ToString() =>
        $"{ExperimentId} generation {Generation} iteration {Iteration} {Phase} step {Step} chunk {ChunkIndex} from rank {SenderRank} ({Payload.Length} bytes)";
}
