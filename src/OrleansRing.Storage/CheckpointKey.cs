using System.Diagnostics.CodeAnalysis;

namespace OrleansRing.Storage;

/// <summary>
/// Where one worker's checkpoint (opaque bytes: model and optimizer state) is stored. The blob name is
/// <c>{experiment}/checkpoints/{iteration:D8}/{rank:D3}</c>, e.g. <c>resnet-a/checkpoints/00000100/002</c>.
/// "checkpoints" can never be mistaken for an iteration folder, which is always 8 digits.
/// </summary>
/// <param name="ExperimentId">See <see cref="ExperimentIds"/> for the allowed characters.</param>
/// <param name="Iteration">The iteration the checkpoint was taken after, 0 to <see cref="ChunkKey.MaxIteration"/>.</param>
/// <param name="Rank">The worker's rank, 0 to <see cref="ChunkKey.MaxRank"/>.</param>
public sealed record CheckpointKey(string ExperimentId, long Iteration, int Rank)
{
    private const string Format = "{experiment}/checkpoints/{iteration:D8}/{rank:D3}";

    public string ExperimentId { get; init => field = ExperimentIds.EnsureValid(value, nameof(ExperimentId)); } =
        ExperimentIds.EnsureValid(ExperimentId, nameof(ExperimentId));

    public long Iteration { get; init => field = BlobNameSegments.InRange(value, ChunkKey.MaxIteration, nameof(Iteration)); } =
        BlobNameSegments.InRange(Iteration, ChunkKey.MaxIteration, nameof(Iteration));

    public int Rank { get; init => field = BlobNameSegments.InRange(value, ChunkKey.MaxRank, nameof(Rank)); } =
        BlobNameSegments.InRange(Rank, ChunkKey.MaxRank, nameof(Rank));

    public string ToBlobName() => $"{ExperimentId}/{BlobNameSegments.Checkpoints}/{Iteration:D8}/{Rank:D3}";

    public override string ToString() => ToBlobName();

    /// <summary>"{experiment}/checkpoints/": every checkpoint of the experiment starts with it.</summary>
    public static string Prefix(string experimentId) =>
        $"{ExperimentIds.EnsureValid(experimentId)}/{BlobNameSegments.Checkpoints}/";

    public static CheckpointKey Parse(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return TryParse(blobName, out var key)
            ? key
            : throw new FormatException($"'{blobName}' is not a checkpoint blob name; expected {Format}.");
    }

    public static bool TryParse([NotNullWhen(true)] string? blobName, [NotNullWhen(true)] out CheckpointKey? key)
    {
        key = null;
        var parts = blobName?.Split('/');
        if (parts is not { Length: 4 }
            || !ExperimentIds.IsValid(parts[0], out _)
            || parts[1] != BlobNameSegments.Checkpoints
            || !BlobNameSegments.TryParseIteration(parts[2], out var iteration)
            || !BlobNameSegments.TryParseDigits(parts[3], 3, out var rank))
        {
            return false;
        }
        key = new CheckpointKey(parts[0], iteration, (int)rank);
        return true;
    }
}
