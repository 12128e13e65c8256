namespace OrleansRing.Deployment.Tests;

/// <summary>
/// Names the manifests, images and templates must share with the code. This project references no OrleansRing
/// assembly (it would carry TorchSharp); tests/OrleansRing.Cluster.Tests links this file and checks every value
/// against the code's own constants (DeploymentContractTests).
/// </summary>
internal static class DeploymentContract
{
    /// <summary>OrleansRingSiloBuilderExtensions.PluginsFolderKey.</summary>
    public const string PluginsFolderKey = "OrleansRing:Plugins:Folder";

    /// <summary>PluginFolder.EnvironmentVariable.</summary>
    public const string PluginsVariable = "ORLEANSRING_PLUGINS";

    /// <summary>HealthEndpointOptions.SectionName + ":Port".</summary>
    public const string HealthPortKey = "OrleansRing:Health:Port";

    /// <summary>ChunkDataPlane.PortKey: ring chunks between silos.</summary>
    public const string DataPlanePortKey = "OrleansRing:Ring:DataPlanePort";

    /// <summary>ChunkDataPlane.KeyKey: the secret silos prove to each other on the data plane.</summary>
    public const string DataPlaneKeyKey = "OrleansRing:Ring:DataPlaneKey";

    /// <summary>HealthEndpointOptions.LivePath, ReadyPath, StartupPath.</summary>
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string StartupPath = "/healthz/startup";

    /// <summary>SiloCommand.ShutdownTimeoutKey.</summary>
    public const string ShutdownTimeoutKey = "OrleansRing:Silo:ShutdownTimeout";

    /// <summary>ClusterConnectionOptions: PodIpVariable, DefaultTableName, DefaultSiloPort, DefaultGatewayPort.</summary>
    public const string PodIpVariable = "POD_IP";
    public const string MembershipTable = "OrleansSiloInstances";
    public const int SiloPort = 11111;
    public const int GatewayPort = 30000;

    /// <summary>PodEnvironment's variables.</summary>
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";

    /// <summary>TrainingComputeOptions.SectionName + ":Device".</summary>
    public const string DeviceKey = "OrleansRing:Compute:Device";

    /// <summary>ClusterConnectionOptions.SectionName + ":TableServiceUri".</summary>
    public const string TableServiceUriKey = "OrleansRing:Cluster:TableServiceUri";

    /// <summary>ChunkStore key of the silo host (SiloCommand.ChunkStoreKey).</summary>
    public const string ChunkStoreKey = "OrleansRing:ChunkStore";

    /// <summary>The uid of the `app` user of the .NET container images; the images run as it.</summary>
    public const long AppUserId = 1654;

    /// <summary>The environment-variable form of a configuration key (ORLEANSRING__A__B for OrleansRing:A:B).</summary>
    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>True when <paramref name="variable"/> sets configuration key <paramref name="key"/> (keys are case-insensitive).</summary>
    public static bool Sets(string variable, string key) => string.Equals(variable.Replace("__", ":", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase);
}
