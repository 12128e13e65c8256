using Orleans.Concurrency;
using OrleansRing.Abstractions;
using OrleansRing.Grains.Attacks;
using OrleansRing.Grains.Defences;

namespace OrleansRing.Grains;

/// <summary>Runs the checks the coordinator would, without starting anything; any silo can answer.</summary>
[StatelessWorker]
public sealed class ExperimentValidationGrain(PluginCatalogProvider plugins) : Grain, IExperimentValidationGrain
{
    public Task<IReadOnlyList<ConfigurationProblem>> ProblemsAsync(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = ExperimentConfigValidator.Problems(config)
            .Select(message => new ConfigurationProblem { Field = ConfigurationProblem.ConfigField, Message = message })
            .ToList();
        try
        {
            AttackPlan.Resolve(config, plugins.Catalog);
        }
        catch (ArgumentException ex)
        {
            problems.Add(new ConfigurationProblem { Field = ConfigurationProblem.AttackField, Message = ex.Message });
        }
        try
        {
            DefencePlan.Resolve(config, plugins.Catalog);
        }
        catch (ArgumentException ex)
        {
            problems.Add(new ConfigurationProblem { Field = ConfigurationProblem.DefenceField, Message = ex.Message });
        }
        if (config.Data is { Kind: DataSourceKind.Cifar10, Path: { } path } && !File.Exists(path) && !Directory.Exists(path))
        {
            problems.Add(new ConfigurationProblem { Field = ConfigurationProblem.DataField, Message = $"data: '{path}' does not exist on silo {RuntimeIdentity}." });
        }
        return Task.FromResult<IReadOnlyList<ConfigurationProblem>>(problems);
    }
}
