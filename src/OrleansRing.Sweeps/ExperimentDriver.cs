using OrleansRing.Abstractions;

namespace OrleansRing.Sweeps;

/// <summary>
/// Starts an experiment, or attaches to it where the cluster already has it (a client that went away, a rerun),
/// and follows it to its end. The coordinator keeps its manifest in the chunk store: asking for its status
/// reactivates it, and a run that was interrupted resumes from its last checkpoint.
/// </summary>
public sealed class ExperimentDriver(IGrainFactory grains)
{
    /// <summary>How often progress is polled; the coordinator's status call is cheap.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Long enough for a cluster to declare a lost silo dead and the coordinator to resume elsewhere.</summary>
    public TimeSpan UnreachableLimit { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Told of coordinator calls that fail while it is being moved; the driver retries them.</summary>
    public Action<string, Exception>? OnUnreachable { get; init; }

    /// <summary>
    /// The running or finished experiment's status, starting it when the cluster has never seen it, and, with
    /// <paramref name="retryFailed"/>, starting it again from scratch when the cluster has it as failed.
    /// </summary>
    /// <exception cref="ArgumentException">The cluster rejected the configuration (it says why).</exception>
    public async Task<ExperimentStatus> StartOrAttachAsync(ExperimentConfig config, bool retryFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var coordinator = grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await PollAsync(coordinator, config.ExperimentId, cancellationToken).ConfigureAwait(false);
        if (retryFailed && status.State == ExperimentState.Failed)
        {
            status = await coordinator.ForgetFailedAttemptAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return status.State == ExperimentState.NotStarted
            ? await coordinator.StartAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false)
            : status;
    }

    /// <summary>Polls until the experiment is no longer running, reporting each status; then returns its result.</summary>
    public async Task<ExperimentResult> FollowAsync(string experimentId, ExperimentStatus status, Action<ExperimentStatus>? onStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var coordinator = grains.GetGrain<IRingCoordinatorGrain>(experimentId);
        onStatus?.Invoke(status);
        while (status.State == ExperimentState.Running)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            status = await PollAsync(coordinator, experimentId, cancellationToken).ConfigureAwait(false);
            onStatus?.Invoke(status);
        }
        return await coordinator.GetResultAsync().WaitAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Experiment {experimentId} ended ({status.State}) without a result.");
    }

    private async Task<ExperimentStatus> PollAsync(IRingCoordinatorGrain coordinator, string experimentId, CancellationToken cancellationToken)
    {
        var unreachableSince = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await coordinator.GetStatusAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (ArgumentException or OperationCanceledException) && DateTime.UtcNow - unreachableSince < UnreachableLimit)
            {
                OnUnreachable?.Invoke(experimentId, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
