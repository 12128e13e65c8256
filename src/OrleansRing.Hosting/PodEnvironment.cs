namespace OrleansRing.Hosting;

/// <summary>
/// What Kubernetes' downward API tells a silo about its pod (see k8s/base/silo-deployment.yaml): its name, namespace
/// and IP, and the Orleans cluster and service ids from the pod's <c>orleans/clusterId</c> and <c>orleans/serviceId</c>
/// labels. <see cref="ToConfiguration"/> turns it into OrleansRing:Cluster settings, which the silo host layers below
/// its own ORLEANSRING__ variables and flags. POD_IP itself is read by
/// <see cref="ClusterConnectionOptions.ResolveAdvertisedAddress"/>.
/// </summary>
public sealed record PodEnvironment
{
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";

    public string? PodName { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodIp { get; init; }

    public string? ClusterId { get; init; }

    public string? ServiceId { get; init; }

    /// <summary>True when any of the variables is set: the process runs as (or like) a pod.</summary>
    public bool IsPresent => PodName is not null || PodNamespace is not null || PodIp is not null || ClusterId is not null || ServiceId is not null;

    public static PodEnvironment FromEnvironment() => new()
    {
        PodName = Read(PodNameVariable),
        PodNamespace = Read(PodNamespaceVariable),
        PodIp = Read(ClusterConnectionOptions.PodIpVariable),
        ClusterId = Read(ClusterIdVariable),
        ServiceId = Read(ServiceIdVariable),
    };

    /// <summary>OrleansRing:Cluster keys for what is set: SiloName from the pod name, ClusterId and ServiceId from the labels.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration()
    {
        const string prefix = ClusterConnectionOptions.SectionName + ":";
        if (PodName is not null)
        {
            yield return new(prefix + nameof(ClusterConnectionOptions.SiloName), PodName);
        }
        if (ClusterId is not null)
        {
            yield return new(prefix + nameof(ClusterConnectionOptions.ClusterId), ClusterId);
        }
        if (ServiceId is not null)
        {
            yield return new(prefix + nameof(ClusterConnectionOptions.ServiceId), ServiceId);
        }
    }

    /// <summary>For the start-up log line: pod and namespace, when known.</summary>
    public string Describe() => IsPresent ? $"pod {PodNamespace ?? "?"}/{PodName ?? "?"} ({PodIp ?? "no POD_IP"})" : "no pod environment";

    private static string? Read(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value.Trim() : null;
}
