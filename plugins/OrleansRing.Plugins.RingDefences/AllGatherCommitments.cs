using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>
/// The owner of each reduced chunk publishes its hash (SHA-256 bound to iteration and chunk) to every worker before
/// allgather; every receiver checks what its predecessor forwards. A mismatch rejects the chunk, so the worker fetches
/// it from its owner (repair) and forwards only verified chunks: an honest worker never passes a forged chunk on, which
/// is why the sender of a mismatching chunk is the forger.
/// </summary>
internal sealed class AllGatherCommitments(bool exclude) : IDefence
{
    public DefenceHooks Hooks => DefenceHooks.Commitments | DefenceHooks.Received;

    public long ExtraBytesPerIteration(int worldSize, int totalLength) => (worldSize - 1) * (long)ChunkHash.Length;

    public byte[] Commit(in DefenceContext context, int chunkIndex, ReadOnlySpan<float> reducedChunk) =>
        ChunkHash.Of(context.Iteration, chunkIndex, reducedChunk);

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        if (context.Phase != DefencePhase.AllGather)
        {
            return ReceiveVerdict.Accept;
        }

        Span<byte> hash = stackalloc byte[ChunkHash.Length];
        ChunkHash.Write(context.Iteration, context.ChunkIndex, chunk, hash);
        var committed = context.Commitments[context.OwnerRank].Span;
        if (hash.SequenceEqual(committed))
        {
            return ReceiveVerdict.Accept;
        }

        context.Detections.Flag(
            context.SenderRank,
            $"allgather-commitments: chunk {context.ChunkIndex} forwarded at allgather step {context.Step} does not match owner {context.OwnerRank}'s commitment",
            exclude);
        return ReceiveVerdict.Reject;
    }
}
