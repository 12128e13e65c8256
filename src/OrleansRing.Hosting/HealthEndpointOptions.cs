using System.Net;

namespace OrleansRing.Hosting;

/// <summary>
/// Where the silo's web host listens (section <see cref="SectionName"/>; flags <c>--health-port</c>,
/// <c>--health-address</c>). No port: no web host. The paths are fixed: <see cref="LivePath"/>,
/// <see cref="ReadyPath"/> and <see cref="StartupPath"/>, for Kubernetes' three probes.
/// </summary>
public sealed class HealthEndpointOptions
{
    public const string SectionName = "OrleansRing:Health";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string StartupPath = "/healthz/startup";

    /// <summary>The HTTP port of the health endpoints; null (default) serves none.</summary>
    public int? Port { get; set; }

    /// <summary>The address to listen on (default 0.0.0.0: kubelet probes the pod IP).</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>How long the readiness probe's chunk-store check may take before it counts as unreachable.</summary>
    public TimeSpan StoreCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => Port is not null;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        if (Port is { } port && port is < 1 or > 65535)
        {
            throw new ArgumentException($"{SectionName}:Port must be a port number in [1, 65535]; got {port}.", nameof(Port));
        }
        if (!IPAddress.TryParse(Address, out _))
        {
            throw new ArgumentException($"{SectionName}:Address must be an IP address; got '{Address}'.", nameof(Address));
        }
        if (StoreCheckTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{SectionName}:StoreCheckTimeout must be positive; got {StoreCheckTimeout}.", nameof(StoreCheckTimeout));
        }
    }
}
