using OrleansRing.Abstractions;
using Spectre.Console;

namespace OrleansRing.Cli;

/// <summary>Starts an experiment on a cluster and follows it to its end, with a progress bar on a terminal.</summary>
public static class ExperimentRunner
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    // Long enough for a cluster to declare a lost silo dead and the coordinator to resume elsewhere.
    private static readonly TimeSpan s_unreachableLimit = TimeSpan.FromMinutes(3);

    public static async Task<ExperimentResult> RunAsync(IGrainFactory grains, ExperimentConfig config, bool showProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(config);
        var coordinator = grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await coordinator.StartAsync(config).ConfigureAwait(false);
        if (showProgress && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Describe(config, status), maxValue: Math.Max(1, status.TotalIterations));
                    while (status.State == ExperimentState.Running)
                    {
                        await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
                        status = await PollAsync(coordinator, status, cancellationToken).ConfigureAwait(false);
                        task.Value = status.IterationsCompleted;
                        task.Description = Describe(config, status);
                    }
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            while (status.State == ExperimentState.Running)
            {
                await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
                status = await PollAsync(coordinator, status, cancellationToken).ConfigureAwait(false);
            }
        }
        return await coordinator.GetResultAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Experiment {config.ExperimentId} ended ({status.State}) without a result.");
    }

    /// <summary>
    /// The coordinator's status; while its silo (or the client's gateway) is being replaced, calls fail for a
    /// while, and the next one reactivates the coordinator elsewhere, where it resumes from its manifest.
    /// </summary>
    private static async Task<ExperimentStatus> PollAsync(IRingCoordinatorGrain coordinator, ExperimentStatus last, CancellationToken cancellationToken)
    {
        var unreachableSince = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await coordinator.GetStatusAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (ArgumentException or OperationCanceledException) && DateTime.UtcNow - unreachableSince < s_unreachableLimit)
            {
                await Console.Error.WriteLineAsync($"orleansring: coordinator unreachable ({ex.GetType().Name}: {ex.Message}); retrying after {last.IterationsCompleted} iterations").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Describe(ExperimentConfig config, ExperimentStatus status)
    {
        var loss = status.TrainLoss is { } l ? $" loss {l:0.000}" : "";
        var accuracy = status.TestAccuracy is { } a ? $" test {a:P1}" : "";
        return Markup.Escape($"{config.ExperimentId}: {status.IterationsCompleted}/{status.TotalIterations}{loss}{accuracy}");
    }
}
