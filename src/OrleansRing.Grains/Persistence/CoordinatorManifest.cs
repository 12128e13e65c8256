using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Persistence;

/// <summary>
/// The coordinator's durable state, rewritten after every iteration as the experiment document
/// "manifest.json": a coordinator reactivated on another silo (its silo died) reads it and resumes.
/// </summary>
internal sealed record CoordinatorManifest
{
    public const string DocumentName = "manifest.json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public required ExperimentConfig Config { get; init; }

    public required ExperimentState State { get; init; }

    public string? Error { get; init; }

    public required int TotalIterations { get; init; }

    public required int ParameterCount { get; init; }

    public required List<IterationMetrics> Metrics { get; init; }

    public required long[] BytesSent { get; init; }

    /// <summary><see cref="BytesSent"/> as it was after each checkpointed iteration still stored: a recovery rolls back to it.</summary>
    public Dictionary<long, long[]> BytesSentAtCheckpoints { get; init; } = [];

    public required List<RecoveryEvent> Recoveries { get; init; }

    public required double ElapsedSeconds { get; init; }

    public double? LastTestAccuracy { get; init; }

    public ExperimentResult? Result { get; init; }

    /// <summary>The ring's members after exclusions (empty: all N).</summary>
    public int[] Ring { get; init; } = [];

    public List<DefenceDetection> Detections { get; init; } = [];

    public List<ExclusionEvent> Exclusions { get; init; } = [];

    /// <summary>Why a cancel was asked for while the run was still going: a coordinator resumed elsewhere ends the run instead of continuing it.</summary>
    public string? CancelReason { get; init; }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    public static CoordinatorManifest FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<CoordinatorManifest>(bytes, s_json) ?? throw new JsonException("The coordinator manifest is empty.");
}
