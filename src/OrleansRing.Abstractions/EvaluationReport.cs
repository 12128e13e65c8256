namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Immutable]
[Alias("orleansring.evaluation-report")]
public sealed record EvaluationReport
{
    [Id(0)] public required int Rank { get; init; }

    [Id(1)] public required double Loss { get; init; }

    [Id(2)] public required double Accuracy { get; init; }

    [Id(3)] public required int Samples { get; init; }
}
