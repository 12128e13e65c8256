using OrleansRing.Abstractions;
using Spectre.Console;

namespace OrleansRing.Cli;

/// <summary>Starts an experiment on a cluster and follows it to its end, with a progress bar on a terminal.</summary>
public static class ExperimentRunner
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

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
                        status = await coordinator.GetStatusAsync().ConfigureAwait(false);
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
                status = await coordinator.GetStatusAsync().ConfigureAwait(false);
            }
        }
        return await coordinator.GetResultAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Experiment {config.ExperimentId} ended ({status.State}) without a result.");
    }

    private static string Describe(ExperimentConfig config, ExperimentStatus status)
    {
        var loss = status.TrainLoss is { } l ? $" loss {l:0.000}" : "";
        var accuracy = status.TestAccuracy is { } a ? $" test {a:P1}" : "";
        return Markup.Escape($"{config.ExperimentId}: {status.IterationsCompleted}/{status.TotalIterations}{loss}{accuracy}");
    }
}
