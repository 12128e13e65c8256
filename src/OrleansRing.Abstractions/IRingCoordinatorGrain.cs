namespace OrleansRing.Abstractions;

/// <summary>
/// Owns one experiment, keyed by its id: builds the ring, hands out shards, drives iterations and
/// collects metrics. It never sums gradients; that happens between the workers.
/// </summary>
[Alias("orleansring.IRingCoordinatorGrain")]
public interface IRingCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Validates the config, initialises the workers and starts training in the background.</summary>
    [Alias("start")]
    [ResponseTimeout("00:15:00")]
    Task<ExperimentStatus> StartAsync(ExperimentConfig config);

    [Alias("status")]
    Task<ExperimentStatus> GetStatusAsync();

    /// <summary>
    /// Stops a running experiment before its next iteration: it ends <see cref="ExperimentState.Failed"/> with the error
    /// "cancelled: <paramref name="reason"/>" and its workers are released. An experiment that has ended is left as it is.
    /// </summary>
    [Alias("cancel")]
    Task<ExperimentStatus> CancelAsync(string reason);

    /// <summary>
    /// Forgets a failed attempt so that the next <see cref="StartAsync"/> runs the experiment again from scratch: what
    /// the attempt persisted (manifest, chunks, checkpoints, timeline) is deleted and this activation ends. Returns
    /// <see cref="ExperimentState.NotStarted"/> then; an experiment that is running, completed or diverged (or was
    /// never started) is left as it is. A different configuration under the same id is refused.
    /// </summary>
    [Alias("forget-failed")]
    Task<ExperimentStatus> ForgetFailedAttemptAsync(ExperimentConfig config);

    /// <summary>The result once the experiment has completed or failed; null while it runs.</summary>
    [Alias("result")]
    Task<ExperimentResult?> GetResultAsync();

    /// <summary>
    /// The experiment's timeline once it has ended, as trace-event JSON (UTF-8; see docs/telemetry.md): the
    /// coordinator's and every worker's spans, gathered from the silos' timeline recorders. No spans when the silos
    /// do not record (OrleansRing:Telemetry:RecordTimeline). Throws <see cref="InvalidOperationException"/> while it runs.
    /// </summary>
    [Alias("timeline")]
    [ResponseTimeout("00:05:00")]
    Task<byte[]> GetTimelineAsync();
}
