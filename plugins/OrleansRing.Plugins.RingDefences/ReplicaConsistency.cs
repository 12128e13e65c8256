using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>
/// After allgather every replica publishes the hash of each of its N chunks to every other worker. For chunk c, allgather
/// carries it from its owner o through o+1, o+2, ...; the first rank along that path whose hash differs from the owner's
/// received a forged chunk from its predecessor, the forger. Each worker then fetches the chunks where it differs from
/// the owner (repair), so the replicas agree again before the optimizer step.
/// </summary>
internal sealed class ReplicaConsistency(bool exclude) : IDefence
{
    public DefenceHooks Hooks => DefenceHooks.ReplicaAttestation;

    public long ExtraBytesPerIteration(int worldSize, int totalLength) => (worldSize - 1) * (long)worldSize * ChunkHash.Length;

    public byte[] Attest(in DefenceContext context, ReadOnlySpan<float> gradient)
    {
        var n = context.WorldSize;
        var result = new byte[n * ChunkHash.Length];
        for (var c = 0; c < n; c++)
        {
            var (offset, length) = Chunk(gradient.Length, n, c);
            ChunkHash.Write(context.Iteration, c, gradient.Slice(offset, length), result.AsSpan(c * ChunkHash.Length, ChunkHash.Length));
        }

        return result;
    }

    public IReadOnlyList<int> CompareAttestations(in DefenceContext context, IReadOnlyList<ReadOnlyMemory<byte>> attestations)
    {
        var n = context.WorldSize;
        var repairs = new List<int>();
        var forgers = new SortedDictionary<int, List<int>>();
        for (var c = 0; c < n; c++)
        {
            var owner = (c - 1 + n) % n;
            var reference = HashOf(attestations[owner], c);
            for (var hop = 1; hop < n; hop++)
            {
                var rank = (owner + hop) % n;
                if (!HashOf(attestations[rank], c).SequenceEqual(reference))
                {
                    var forger = (rank - 1 + n) % n;
                    if (!forgers.TryGetValue(forger, out var chunks))
                    {
                        forgers[forger] = chunks = [];
                    }

                    chunks.Add(c);
                    break;
                }
            }

            if (!HashOf(attestations[context.Rank], c).SequenceEqual(reference))
            {
                repairs.Add(c);
            }
        }

        foreach (var (forger, chunks) in forgers)
        {
            context.Detections.Flag(
                forger,
                $"replica-consistency: replicas after rank {forger} hold other values of chunk(s) {string.Join(',', chunks)} than their owners",
                exclude);
        }

        return repairs;
    }

    private static ReadOnlySpan<byte> HashOf(ReadOnlyMemory<byte> attestation, int chunk) =>
        attestation.Length >= (chunk + 1) * ChunkHash.Length ? attestation.Span.Slice(chunk * ChunkHash.Length, ChunkHash.Length) : [];

    // The ring's chunk layout: the first L mod N chunks are one value longer.
    private static (int Offset, int Length) Chunk(int total, int n, int c) =>
        ((c * (total / n)) + Math.Min(c, total % n), (total / n) + (c < total % n ? 1 : 0));
}
