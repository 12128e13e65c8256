namespace OrleansRing.Abstractions;

/// <summary>One reason a cluster would refuse an experiment, with the field it concerns ("attack", "defence", "data", "config").</summary>
[GenerateSerializer]
[Immutable]
[Alias("orleansring.configuration-problem")]
public sealed record ConfigurationProblem
{
    public const string AttackField = "attack";
    public const string DefenceField = "defence";
    public const string DataField = "data";
    public const string ConfigField = "config";

    [Id(0)] public required string Field { get; init; }

    [Id(1)] public required string Message { get; init; }
}
