namespace OrleansRing.Sweeps;

/// <summary>sweep.json: the grid as last run and where each experiment stands.</summary>
public sealed record SweepStateDocument
{
    public const string CurrentSchema = "orleansring.sweep/1";

    public string Schema { get; init; } = CurrentSchema;

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<string> AxisKeys { get; init; }

    public required IReadOnlyList<SweepExperimentRecord> Experiments { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
