using OrleansRing.Abstractions;

namespace OrleansRing.Sweeps;

/// <summary>
/// A key a sweep file may set. <see cref="Parse"/> turns a scalar into its normalised text and a change to the
/// configuration, or throws <see cref="FormatException"/> saying what is accepted.
/// </summary>
public sealed record SweepParameter(
    string Key,
    string Description,
    Func<string, SweepParseContext, (string Normalised, Func<ExperimentConfig, ExperimentConfig> Apply)> Parse)
{
    /// <summary>Attack and defence may also be written as a mapping {name: ..., param: value-or-list}.</summary>
    public bool AcceptsPluginMapping { get; init; }
}
