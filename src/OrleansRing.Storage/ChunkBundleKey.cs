using System.Diagnostics.CodeAnalysis;

namespace OrleansRing.Storage;

/// <summary>
/// Where every chunk one worker sent in one phase of one iteration is stored together (async persistence): the blob
/// name is <c>{experiment}/{iteration:D8}/bundles/{phase}/{sender:D3}</c>, e.g.
/// <c>resnet-a/00000012/bundles/scatter-reduce/003</c>. It lies in the iteration's folder, so retention and
/// deletion treat it like the iteration's chunks; "bundles" can never be mistaken for a phase segment.
/// </summary>
public sealed record ChunkBundleKey(string ExperimentId, long Iteration, RingPhase Phase, int SenderRank)
{
    private const string Format = "{experiment}/{iteration:D8}/bundles/{scatter-reduce|allgather}/{sender:D3}";

    public string ExperimentId { get; init => field = ExperimentIds.EnsureValid(value, nameof(ExperimentId)); } =
        ExperimentIds.EnsureValid(ExperimentId, nameof(ExperimentId));

    public long Iteration { get; init => field = BlobNameSegments.InRange(value, ChunkKey.MaxIteration, nameof(Iteration)); } =
        BlobNameSegments.InRange(Iteration, ChunkKey.MaxIteration, nameof(Iteration));

    public RingPhase Phase { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Phase), value, "Unknown ring phase."); } =
        Enum.IsDefined(Phase) ? Phase : throw new ArgumentOutOfRangeException(nameof(Phase), Phase, "Unknown ring phase.");

    public int SenderRank { get; init => field = BlobNameSegments.InRange(value, ChunkKey.MaxRank, nameof(SenderRank)); } =
        BlobNameSegments.InRange(SenderRank, ChunkKey.MaxRank, nameof(SenderRank));

    /// <summary>The bundle that holds <paramref name="chunk"/> if its sender bundled it.</summary>
    public static ChunkBundleKey Of(ChunkKey chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return new ChunkBundleKey(chunk.ExperimentId, chunk.Iteration, chunk.Phase, chunk.SenderRank);
    }

    /// <summary>Whether <paramref name="chunk"/> belongs in this bundle (its experiment, iteration, phase and sender).</summary>
    public bool Holds(ChunkKey chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return chunk.Iteration == Iteration && chunk.Phase == Phase && chunk.SenderRank == SenderRank
            && string.Equals(chunk.ExperimentId, ExperimentId, StringComparison.Ordinal);
    }

    public string ToBlobName() =>
        $"{ExperimentId}/{Iteration:D8}/{BlobNameSegments.Bundles}/{BlobNameSegments.ToSegment(Phase)}/{SenderRank:D3}";

    public override string ToString() => ToBlobName();

    /// <summary>"{experiment}/{iteration:D8}/bundles/": every bundle of the iteration starts with it.</summary>
    public static string IterationPrefix(string experimentId, long iteration) =>
        $"{ChunkKey.IterationPrefix(experimentId, iteration)}{BlobNameSegments.Bundles}/";

    public static bool TryParse([NotNullWhen(true)] string? blobName, [NotNullWhen(true)] out ChunkBundleKey? key)
    {
        key = null;
        if (blobName is null)
        {
            return false;
        }
        var parts = blobName.Split('/');
        if (parts.Length != 5 || !ExperimentIds.IsValid(parts[0], out _) || parts[2] != BlobNameSegments.Bundles
            || !BlobNameSegments.TryParseIteration(parts[1], out var iteration)
            || !BlobNameSegments.TryParsePhase(parts[3], out var phase)
            || !BlobNameSegments.TryParseDigits(parts[4], 3, out var sender))
        {
            return false;
        }
        key = new ChunkBundleKey(parts[0], iteration, phase, (int)sender);
        return true;
    }

    public static ChunkBundleKey Parse(string blobName) =>
        TryParse(blobName, out var key) ? key : throw new FormatException($"'{blobName}' is not a chunk bundle name ({Format}).");
}
