using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansRing.Storage;

namespace OrleansRing.Hosting;

/// <summary>
/// Readiness: the chunk store answers (<see cref="IChunkStore.EnsureReachableAsync"/>) within the time limit. A silo
/// whose store is unreachable would fail every experiment that persists chunks, so it should take no new work.
/// </summary>
internal sealed class ChunkStoreHealthCheck(IChunkStore store, TimeSpan timeLimit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        try
        {
            await store.EnsureReachableAsync(limit.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"chunk store {store.Endpoint} is reachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"chunk store {store.Endpoint} did not answer within {timeLimit.TotalSeconds:0.#} s");
        }
        catch (ChunkStoreException ex)
        {
            return HealthCheckResult.Unhealthy($"chunk store {store.Endpoint} is unreachable: {ex.Message}");
        }
    }
}
