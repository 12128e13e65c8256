namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.experiment-state")]
public enum ExperimentState
{
    NotStarted = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
}
