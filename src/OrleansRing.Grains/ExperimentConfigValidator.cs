using OrleansRing.Abstractions;

namespace OrleansRing.Grains;

/// <summary>Checks an experiment's config before anything runs; every problem is named with its field.</summary>
public static class ExperimentConfigValidator
{
    public static IReadOnlyList<string> Problems(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        if (!Storage.ExperimentIds.IsValid(config.ExperimentId, out var idProblem))
        {
            problems.Add($"experiment id: {idProblem}");
        }
        if (config.Workers is < 1 or > 1024)
        {
            problems.Add($"workers must be in [1, 1024], got {config.Workers}");
        }
        if (config.Iterations < 0)
        {
            problems.Add($"iterations must be ≥ 0 (0: derive from epochs), got {config.Iterations}");
        }
        if (config.Iterations == 0 && !(config.Epochs > 0))
        {
            problems.Add($"epochs must be > 0 when iterations is 0, got {config.Epochs}");
        }
        if (config.BatchSize < 1)
        {
            problems.Add($"batch size must be ≥ 1, got {config.BatchSize}");
        }
        if (!(config.LearningRate > 0) || double.IsInfinity(config.LearningRate))
        {
            problems.Add($"learning rate must be a positive number, got {config.LearningRate}");
        }
        if (config.Momentum is < 0 or >= 1 || double.IsNaN(config.Momentum))
        {
            problems.Add($"momentum must be in [0, 1), got {config.Momentum}");
        }
        if (!Enum.IsDefined(config.MomentumAt))
        {
            problems.Add($"momentum placement must be replica or worker, got {(int)config.MomentumAt}");
        }
        if (config.WeightDecay < 0 || double.IsNaN(config.WeightDecay))
        {
            problems.Add($"weight decay must be ≥ 0, got {config.WeightDecay}");
        }
        if (!(config.DivergenceLoss >= 0) || double.IsPositiveInfinity(config.DivergenceLoss))
        {
            problems.Add($"divergence loss bound must be a finite number ≥ 0 (0: off), got {config.DivergenceLoss}");
        }
        if (config.EvaluationInterval < 1)
        {
            problems.Add($"evaluation interval must be ≥ 1, got {config.EvaluationInterval}");
        }
        if (config.Partition == PartitionScheme.Dirichlet && !(config.DirichletAlpha > 0))
        {
            problems.Add($"Dirichlet alpha must be > 0, got {config.DirichletAlpha}");
        }
        if (config.RetainedIterations < 1 && config.Retention == ChunkRetention.KeepLast)
        {
            problems.Add($"retained iterations must be ≥ 1 to keep the last ones, got {config.RetainedIterations}");
        }
        if (config.CheckpointInterval < 0)
        {
            problems.Add($"checkpoint interval must be ≥ 0 (0: never), got {config.CheckpointInterval}");
        }
        if (config.MaxRecoveries < 0)
        {
            problems.Add($"max recoveries must be ≥ 0, got {config.MaxRecoveries}");
        }
        if (config.StepTimeout <= TimeSpan.Zero)
        {
            problems.Add($"step timeout must be positive, got {config.StepTimeout}");
        }
        if (config.Data.Kind == DataSourceKind.Cifar10 && string.IsNullOrWhiteSpace(config.Data.Path))
        {
            problems.Add("a CIFAR-10 data source needs a path");
        }
        if (config.Data.Kind == DataSourceKind.Synthetic && (config.Data.SyntheticTrainCount < 1 || config.Data.SyntheticTestCount < 1))
        {
            problems.Add($"synthetic data needs ≥ 1 train and test image, got {config.Data.SyntheticTrainCount} and {config.Data.SyntheticTestCount}");
        }
        if (config.Data.TestLimit < 0)
        {
            problems.Add($"test limit must be ≥ 0, got {config.Data.TestLimit}");
        }
        return problems;
    }

    public static void ThrowIfInvalid(ExperimentConfig config)
    {
        var problems = Problems(config);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid experiment config: {string.Join("; ", problems)}.", nameof(config));
        }
    }
}
