using System.Diagnostics.CodeAnalysis;

namespace OrleansRing.Storage;

/// <summary>
/// Where one gradient chunk sent along the ring is stored. The blob name is
/// <c>{experiment}/{iteration:D8}/{phase}/{step:D3}/{sender:D3}-{receiver:D3}/{chunk:D4}</c>, phase being
/// <c>scatter-reduce</c> or <c>allgather</c>, e.g. <c>resnet-a/00000012/scatter-reduce/002/003-004/0001</c>.
/// Every number has a fixed width so that listing order equals numeric order and a name parses back to
/// exactly one key; the ranges below follow from the widths. The scheme is stable: audits and resumed runs
/// read blobs written by older builds, so change it only with a migration.
/// </summary>
/// <param name="ExperimentId">See <see cref="ExperimentIds"/> for the allowed characters.</param>
/// <param name="Iteration">Training iteration, 0 to <see cref="MaxIteration"/>.</param>
/// <param name="Phase">Scatter-reduce or all-gather.</param>
/// <param name="Step">Step within the phase, 0 to <see cref="MaxStep"/>.</param>
/// <param name="SenderRank">Rank of the worker that sent the chunk, 0 to <see cref="MaxRank"/>.</param>
/// <param name="ReceiverRank">Rank of the worker it was sent to, 0 to <see cref="MaxRank"/>.</param>
/// <param name="ChunkIndex">Which slice of the gradient, 0 to <see cref="MaxChunkIndex"/>.</param>
public sealed record ChunkKey(
    string ExperimentId,
    long Iteration,
    RingPhase Phase,
    int Step,
    int SenderRank,
    int ReceiverRank,
    int ChunkIndex)
{
    public const long MaxIteration = 99_999_999;
    public const int MaxStep = 999;
    public const int MaxRank = 999;
    public const int MaxChunkIndex = 9_999;

    private const string Format =
        "{experiment}/{iteration:D8}/{scatter-reduce|allgather}/{step:D3}/{sender:D3}-{receiver:D3}/{chunk:D4}";

    // Validation lives in the accessors so that `with` expressions are checked too.
    public string ExperimentId { get; init => field = ExperimentIds.EnsureValid(value, nameof(ExperimentId)); } =
        ExperimentIds.EnsureValid(ExperimentId, nameof(ExperimentId));

    public long Iteration { get; init => field = BlobNameSegments.InRange(value, MaxIteration, nameof(Iteration)); } =
        BlobNameSegments.InRange(Iteration, MaxIteration, nameof(Iteration));

    public RingPhase Phase { get; init => field = CheckPhase(value); } = CheckPhase(Phase);

    public int Step { get; init => field = BlobNameSegments.InRange(value, MaxStep, nameof(Step)); } =
        BlobNameSegments.InRange(Step, MaxStep, nameof(Step));

    public int SenderRank { get; init => field = BlobNameSegments.InRange(value, MaxRank, nameof(SenderRank)); } =
        BlobNameSegments.InRange(SenderRank, MaxRank, nameof(SenderRank));

    public int ReceiverRank { get; init => field = BlobNameSegments.InRange(value, MaxRank, nameof(ReceiverRank)); } =
        BlobNameSegments.InRange(ReceiverRank, MaxRank, nameof(ReceiverRank));

    public int ChunkIndex { get; init => field = BlobNameSegments.InRange(value, MaxChunkIndex, nameof(ChunkIndex)); } =
        BlobNameSegments.InRange(ChunkIndex, MaxChunkIndex, nameof(ChunkIndex));

    /// <summary>The blob name (also the relative path in a folder store, with '/' as separator).</summary>
    public string ToBlobName() =>
        $"{ExperimentId}/{Iteration:D8}/{BlobNameSegments.ToSegment(Phase)}/{Step:D3}/{SenderRank:D3}-{ReceiverRank:D3}/{ChunkIndex:D4}";

    public override string ToString() => ToBlobName();

    /// <summary>"{experiment}/": every chunk and checkpoint of the experiment starts with it.</summary>
    public static string ExperimentPrefix(string experimentId) => ExperimentIds.EnsureValid(experimentId) + "/";

    /// <summary>"{experiment}/{iteration:D8}/": every chunk of one iteration starts with it.</summary>
    public static string IterationPrefix(string experimentId, long iteration) =>
        $"{ExperimentIds.EnsureValid(experimentId)}/{BlobNameSegments.IterationSegment(BlobNameSegments.InRange(iteration, MaxIteration, nameof(iteration)))}/";

    /// <summary>Parses a name written by <see cref="ToBlobName"/>; anything else throws a <see cref="FormatException"/> saying why.</summary>
    public static ChunkKey Parse(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return TryParse(blobName, out var key, out var error)
            ? key
            : throw new FormatException($"'{blobName}' is not a chunk blob name ({error}); expected {Format}.");
    }

    public static bool TryParse([NotNullWhen(true)] string? blobName, [NotNullWhen(true)] out ChunkKey? key) =>
        TryParse(blobName, out key, out _);

    private static bool TryParse(string? blobName, [NotNullWhen(true)] out ChunkKey? key, out string error)
    {
        key = null;
        if (blobName is null)
        {
            error = "null";
            return false;
        }
        var parts = blobName.Split('/');
        if (parts.Length != 6)
        {
            error = $"{parts.Length} segments instead of 6";
            return false;
        }
        if (!ExperimentIds.IsValid(parts[0], out var idError))
        {
            error = idError!;
            return false;
        }
        if (!BlobNameSegments.TryParseIteration(parts[1], out var iteration))
        {
            error = $"iteration '{parts[1]}' is not 8 digits";
            return false;
        }
        if (!BlobNameSegments.TryParsePhase(parts[2], out var phase))
        {
            error = $"phase '{parts[2]}' is neither {BlobNameSegments.ScatterReduce} nor {BlobNameSegments.AllGather}";
            return false;
        }
        if (!BlobNameSegments.TryParseDigits(parts[3], 3, out var step))
        {
            error = $"step '{parts[3]}' is not 3 digits";
            return false;
        }
        var pair = parts[4];
        if (pair.Length != 7 || pair[3] != '-'
            || !BlobNameSegments.TryParseDigits(pair.AsSpan(0, 3), 3, out var sender)
            || !BlobNameSegments.TryParseDigits(pair.AsSpan(4, 3), 3, out var receiver))
        {
            error = $"sender-receiver '{pair}' is not two 3-digit ranks joined by '-'";
            return false;
        }
        if (!BlobNameSegments.TryParseDigits(parts[5], 4, out var chunk))
        {
            error = $"chunk '{parts[5]}' is not 4 digits";
            return false;
        }
        key = new ChunkKey(parts[0], iteration, phase, (int)step, (int)sender, (int)receiver, (int)chunk);
        error = string.Empty;
        return true;
    }

    private static RingPhase CheckPhase(RingPhase phase) =>
        Enum.IsDefined(phase) ? phase : throw new ArgumentOutOfRangeException(nameof(Phase), phase, "Unknown ring phase.");
}
