namespace OrleansRing.Abstractions;

/// <summary>
/// Checks experiments where they would run: against the silos' plugins and data, not the client's. A sweep asks
/// before starting anything, so an unknown plugin is reported with its line in the file rather than mid-sweep.
/// </summary>
[Alias("orleansring.IExperimentValidationGrain")]
public interface IExperimentValidationGrain : IGrainWithIntegerKey
{
    /// <summary>Every problem, or none when the cluster would start this experiment.</summary>
    [Alias("problems")]
    Task<IReadOnlyList<ConfigurationProblem>> ProblemsAsync(ExperimentConfig config);
}
