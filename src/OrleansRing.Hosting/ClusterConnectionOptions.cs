using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Identity;

namespace OrleansRing.Hosting;

/// <summary>
/// Where a silo or a client finds its cluster: the clustering, the ports, the cluster and service ids, the
/// storage account of Azure Table clustering and the address a silo advertises. Bound from
/// <see cref="SectionName"/> (environment: <c>ORLEANSRING__Cluster__Clustering=azure-table</c>, ...), or built by
/// <see cref="ParseClientSpec"/> from the text of <c>orleansring run --cluster</c>.
/// </summary>
public sealed class ClusterConnectionOptions
{
    public const string SectionName = "OrleansRing:Cluster";
    public const string DefaultClusterId = "orleansring";
    public const string DefaultServiceId = "orleansring";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;
    public const string DefaultTableName = "OrleansSiloInstances";

    /// <summary>The environment variable Kubernetes' downward API sets to the pod's IP; the advertised address when present.</summary>
    public const string PodIpVariable = "POD_IP";

    /// <summary>Azurite on 127.0.0.1 with its default ports; the key is Azurite's well-known development key, not a secret.</summary>
    public const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
        + "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
        + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private const string ClientSpecForms = "'localhost:GATEWAYPORT[,GATEWAYPORT...]', 'azure-table', 'azure-table:CONNECTION_STRING' or 'azure-table:https://ACCOUNT.table.core.windows.net'";

    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    /// <summary>Silo: the port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>Silo: the port clients connect to.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>
    /// Silo with localhost clustering: the primary silo's <see cref="SiloPort"/>, on the advertised address. Null (or
    /// this silo's own port) makes this silo the primary, which holds the membership table.
    /// </summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Client with localhost clustering: the gateways to connect to (empty: <see cref="GatewayPort"/> alone).</summary>
    public int[] GatewayPorts { get; set; } = [];

    public string ClusterId { get; set; } = DefaultClusterId;

    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>Azure Table clustering: the storage account's connection string (a secret: never echoed). Null means <see cref="AzuriteConnectionString"/>.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>
    /// Azure Table clustering without a key: the table service URI (https://ACCOUNT.table.core.windows.net), reached with
    /// <c>DefaultAzureCredential</c> (workload identity in a pod, the Azure CLI login on a workstation). Wins over
    /// <see cref="StorageConnectionString"/>.
    /// </summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Silo: its name in the membership table (default: Orleans' own); a pod's name in Kubernetes.</summary>
    public string? SiloName { get; set; }

    /// <summary>Azure Table clustering: the membership table, shared by every cluster id of the account.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Silo: the IP address other silos and clients reach it on. Null means <see cref="PodIpVariable"/> when set, else
    /// loopback for localhost clustering, else this machine's first non-loopback IPv4 address.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Declare a silo dead within seconds instead of the default tens of seconds (see <see cref="FastFailureDetection"/>
    /// for the values). For tests and recovery runs on a quiet network; a CPU-starved silo risks being evicted.
    /// </summary>
    public bool FastFailureDetection { get; set; }

    /// <summary>Client: how long the first connection is retried before <see cref="ClusterConnectionException"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Reads the text form of <c>orleansring run --cluster</c>: <c>localhost:GATEWAYPORT[,GATEWAYPORT...]</c>,
    /// <c>azure-table</c> (Azurite on 127.0.0.1) or <c>azure-table:CONNECTION_STRING</c>. A bad text is a
    /// <see cref="FormatException"/> saying what is expected; a connection string is never echoed.
    /// </summary>
    public static ClusterConnectionOptions ParseClientSpec(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kindText = (colon < 0 ? spec : spec[..colon]).Trim();
        var value = colon < 0 ? string.Empty : spec[(colon + 1)..].Trim();
        if (!ClusteringKindConverter.TryParse(kindText, out var kind))
        {
            // Only the part before the colon is echoed: the rest may be a connection string.
            throw new FormatException($"Cluster kind '{kindText}' is unknown. Expected {ClientSpecForms}.");
        }
        if (kind == ClusteringKind.AzureTable)
        {
            var isUri = value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
            return new ClusterConnectionOptions
            {
                Clustering = ClusteringKind.AzureTable,
                StorageConnectionString = value.Length > 0 && !isUri ? value : null,
                TableServiceUri = isUri ? value : null,
            };
        }
        var ports = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ports.Length == 0)
        {
            throw new FormatException($"Cluster 'localhost' needs at least one gateway port, e.g. 'localhost:30000,30001'. Expected {ClientSpecForms}.");
        }
        var parsed = new int[ports.Length];
        for (var i = 0; i < ports.Length; i++)
        {
            if (!int.TryParse(ports[i], out parsed[i]) || parsed[i] is < 1 or > 65535)
            {
                throw new FormatException($"Cluster 'localhost': gateway port '{ports[i]}' is not a port number in [1, 65535]. Expected {ClientSpecForms}.");
            }
        }
        return new ClusterConnectionOptions { Clustering = ClusteringKind.Localhost, GatewayPorts = parsed, GatewayPort = parsed[0] };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is missing or wrong.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Clustering))
        {
            throw Invalid(nameof(Clustering), $"must be '{ClusteringKindConverter.LocalhostText}' or '{ClusteringKindConverter.AzureTableText}'; got '{Clustering}'");
        }
        Port(SiloPort, nameof(SiloPort));
        Port(GatewayPort, nameof(GatewayPort));
        if (SiloPort == GatewayPort)
        {
            throw Invalid(nameof(GatewayPort), $"must differ from {nameof(SiloPort)} ({SiloPort})");
        }
        if (PrimarySiloPort is { } primary)
        {
            Port(primary, nameof(PrimarySiloPort));
        }
        foreach (var port in GatewayPorts)
        {
            Port(port, nameof(GatewayPorts));
        }
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw Invalid(nameof(ClusterId), "must not be empty");
        }
        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            throw Invalid(nameof(ServiceId), "must not be empty");
        }
        if (AdvertisedIPAddress is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
        {
            throw Invalid(nameof(AdvertisedIPAddress), $"must be an IP address; got '{ip}'");
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw Invalid(nameof(ConnectTimeout), $"must be positive; got {ConnectTimeout}");
        }
        if (SiloName is { } name && string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(nameof(SiloName), "must not be blank when given");
        }
        if (Clustering == ClusteringKind.AzureTable)
        {
            if (TableServiceUri is { Length: > 0 } uri
                && (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http") || parsed.Query.Length > 0))
            {
                throw Invalid(nameof(TableServiceUri), $"must be an http(s) table service URI without a query, e.g. https://ACCOUNT.table.core.windows.net; got '{parsed?.GetLeftPart(UriPartial.Path) ?? "an unreadable URI"}'");
            }
            if (string.IsNullOrWhiteSpace(TableName))
            {
                throw Invalid(nameof(TableName), "must not be empty");
            }
            _ = CreateTableServiceClient();
        }
    }

    /// <summary>The address a silo advertises (see <see cref="AdvertisedIPAddress"/> for the defaults).</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        if (AdvertisedIPAddress is { Length: > 0 } explicitAddress)
        {
            return IPAddress.Parse(explicitAddress);
        }
        if (Environment.GetEnvironmentVariable(PodIpVariable) is { Length: > 0 } podIp && IPAddress.TryParse(podIp, out var pod))
        {
            return pod;
        }
        return Clustering == ClusteringKind.Localhost ? IPAddress.Loopback : FirstNonLoopbackIPv4();
    }

    /// <summary>What a log line or an error may say about where the cluster is: kind, ids and endpoint, no key.</summary>
    public string Describe()
    {
        var where = Clustering == ClusteringKind.AzureTable
            ? $"azure-table clustering at {SafeTableEndpoint()} (table {TableName})"
            : $"localhost clustering, gateways {string.Join(", ", ClientGatewayPorts().Select(p => $"127.0.0.1:{p}"))}";
        return $"cluster '{ClusterId}' (service '{ServiceId}') by {where}";
    }

    internal int[] ClientGatewayPorts() => GatewayPorts.Length > 0 ? GatewayPorts : [GatewayPort];

    internal string EffectiveStorageConnectionString => string.IsNullOrWhiteSpace(StorageConnectionString) ? AzuriteConnectionString : StorageConnectionString;

    internal TableServiceClient CreateTableServiceClient()
    {
        if (TableServiceUri is { Length: > 0 } uri)
        {
            // No key anywhere: the pod's workload identity (or the developer's Azure login) is the credential.
            return new TableServiceClient(new Uri(uri), new DefaultAzureCredential());
        }
        try
        {
            return new TableServiceClient(EffectiveStorageConnectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message is not echoed: it may quote the connection string.
            throw new ArgumentException(
                $"{nameof(ClusterConnectionOptions)}.{nameof(StorageConnectionString)} is not a valid Azure Storage connection string "
                + "(expected 'DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;TableEndpoint=...' or 'UseDevelopmentStorage=true').",
                nameof(StorageConnectionString));
        }
    }

    private string SafeTableEndpoint()
    {
        try
        {
            // The service URI holds no key (a SAS in the connection string would be in the query: dropped).
            return CreateTableServiceClient().Uri.GetLeftPart(UriPartial.Path);
        }
        catch (ArgumentException)
        {
            return "an invalid connection string";
        }
    }

    private static IPAddress FirstNonLoopbackIPv4()
    {
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"This machine has no non-loopback IPv4 address to advertise; set {nameof(AdvertisedIPAddress)} (--advertised-ip) or {PodIpVariable}.");
    }

    private static void Port(int port, string name)
    {
        if (port is < 1 or > 65535)
        {
            throw Invalid(name, $"must be a port number in [1, 65535]; got {port}");
        }
    }

    private static ArgumentException Invalid(string option, string problem) =>
        new($"{nameof(ClusterConnectionOptions)}.{option} {problem}.", option);
}
