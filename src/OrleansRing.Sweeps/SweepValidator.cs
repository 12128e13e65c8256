using OrleansRing.Abstractions;

namespace OrleansRing.Sweeps;

/// <summary>
/// Asks the cluster about every distinct configuration of a sweep before any runs, and reports each problem at the
/// line of the setting it concerns (the attack's value for an unknown plugin or parameter).
/// </summary>
public static class SweepValidator
{
    /// <exception cref="SweepFileException">The cluster would refuse at least one experiment.</exception>
    public static async Task ThrowIfInvalidAsync(IGrainFactory grains, SweepDefinition sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(sweep);
        var validator = grains.GetGrain<IExperimentValidationGrain>(0);
        var checks = sweep.Experiments.Select(async e => (Experiment: e, Problems: await validator.ProblemsAsync(e.Config).WaitAsync(cancellationToken).ConfigureAwait(false)));
        var problems = new List<SweepProblem>();
        foreach (var (experiment, found) in await Task.WhenAll(checks).ConfigureAwait(false))
        {
            foreach (var problem in found)
            {
                var setting = experiment.Settings.FirstOrDefault(s => s.Key == problem.Field)
                    ?? experiment.Settings.FirstOrDefault(s => problem.Message.Contains(s.Key, StringComparison.Ordinal))
                    ?? experiment.Settings.FirstOrDefault();
                var file = setting?.Location.Line > 0 ? sweep.SourcePath : "command line";
                var message = $"{problem.Message} (in {SweepRunner.Label(sweep, experiment)})";
                problems.Add(new SweepProblem(file, setting?.Location ?? new SourceLocation(1, 1), message, setting?.Key ?? problem.Field));
            }
        }
        if (problems.Count > 0)
        {
            // The same bad value is usually shared by many grid points: report it once.
            var distinct = problems.GroupBy(p => (p.File, p.Location, Message: p.Message[..p.Message.LastIndexOf(" (in ", StringComparison.Ordinal)]))
                .Select(g => g.Count() == 1 ? g.First() : g.First() with { Message = $"{g.Key.Message} (in {g.Count()} experiments)" })
                .ToList();
            throw new SweepFileException(distinct);
        }
    }
}
