namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.experiment-state")]
public enum ExperimentState
{
    NotStarted = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,

    /// <summary>Stopped early: the honest workers' training loss became non-finite or exceeded <see cref="ExperimentConfig.DivergenceLoss"/>.</summary>
    Diverged = 4,
}
