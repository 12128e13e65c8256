using OrleansRing.Sweeps;

namespace OrleansRing.Api;

/// <summary>
/// A sweep running (or run) in this host: its definition, its results folder, the runner's latest progress and a
/// signal that fires on every change, which the server-sent-events stream waits on.
/// </summary>
public sealed class SweepJob : IProgress<SweepProgress>
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SweepJob(string id, string kind, SweepDefinition sweep, SweepFolder folder)
    {
        Id = id;
        Kind = kind;
        Sweep = sweep;
        Folder = folder;
    }

    public string Id { get; }

    public string Kind { get; }

    public SweepDefinition Sweep { get; }

    public SweepFolder Folder { get; }

    /// <summary>Cancelled to stop the runner (cancel, or the host stopping).</summary>
    public CancellationTokenSource Stopping { get; } = new();

    public SweepJobState State { get; private set; } = SweepJobState.Running;

    public string? Error { get; private set; }

    public SweepProgress? Progress { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>The runner's task; completes once the job has ended and its report is drawn.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public void Report(SweepProgress value)
    {
        Progress = value;
        Signal();
    }

    public void RequestCancel(string reason) => CancelReason ??= reason;

    public void End(SweepJobState state, string? error)
    {
        Error = error;
        State = state;
        Signal();
    }

    /// <summary>Returns when the job next changes, or after <paramref name="heartbeat"/>.</summary>
    public async Task WaitForChangeAsync(TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _changed).Task.WaitAsync(heartbeat, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing changed: the caller sends the same status again, which keeps proxies from closing the stream.
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
