namespace OrleansRing.Sweeps;

/// <summary>One experiment in flight: what it is and how far it has got.</summary>
public sealed record RunningExperiment(string Id, string Label, int IterationsCompleted, int TotalIterations, double? TrainLoss);
