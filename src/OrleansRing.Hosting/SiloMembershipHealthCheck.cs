using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansRing.Hosting;

/// <summary>
/// This silo's status in its own view of cluster membership. Startup and readiness: healthy once the silo is Active.
/// Liveness: unhealthy only when the cluster has declared this silo Dead (it will never serve again, so restart it);
/// a silo still joining, or shutting down gracefully, is alive.
/// </summary>
internal sealed class SiloMembershipHealthCheck(IServiceProvider services, bool requireActive) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Resolved lazily: the web host answers probes before the silo's services have started.
        var local = services.GetService(typeof(ILocalSiloDetails)) as ILocalSiloDetails;
        var membership = services.GetService(typeof(IClusterMembershipService)) as IClusterMembershipService;
        if (local is null || membership is null)
        {
            return Task.FromResult(requireActive ? HealthCheckResult.Unhealthy("the silo is not hosted here") : HealthCheckResult.Healthy("no silo yet"));
        }
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        var description = $"silo {local.SiloAddress} is {status}";
        if (requireActive)
        {
            return Task.FromResult(status == SiloStatus.Active ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
        }
        return Task.FromResult(status == SiloStatus.Dead ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Healthy(description));
    }
}
