using System.Net;
using Orleans.Configuration;

namespace OrleansRing.Hosting;

public static class OrleansRingClusteringExtensions
{
    /// <summary>
    /// Joins this silo to the cluster that <paramref name="options"/> describe: localhost (development) clustering
    /// with the primary at the advertised address and <see cref="ClusterConnectionOptions.PrimarySiloPort"/>, or Azure
    /// Table clustering. Sets the ports, the cluster and service ids, the advertised address and, if asked for, fast
    /// failure detection. Throws <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    public static ISiloBuilder UseOrleansRingClustering(this ISiloBuilder silo, ClusterConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var address = options.ResolveAdvertisedAddress();
        var siloPort = options.SiloPort;
        var gatewayPort = options.GatewayPort;
        if (options.Clustering == ClusteringKind.Localhost)
        {
            var primary = options.PrimarySiloPort is { } port && port != siloPort ? new IPEndPoint(address, port) : null;
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, options.ServiceId, options.ClusterId);
        }
        else
        {
            var tables = options.CreateTableServiceClient();
            var tableName = options.TableName;
            silo.UseAzureStorageClustering(table =>
            {
                table.TableServiceClient = tables;
                table.TableName = tableName;
            });
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        }
        // Registered after UseLocalhostClustering, which pins loopback, so the resolved address wins there too.
        silo.Configure<EndpointOptions>(endpoint =>
        {
            endpoint.AdvertisedIPAddress = address;
            endpoint.SiloPort = siloPort;
            endpoint.GatewayPort = gatewayPort;
        });
        if (options.SiloName is { Length: > 0 } siloName)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = siloName);
        }
        if (options.FastFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(FastFailureDetection.Apply);
        }
        return silo;
    }

    /// <summary>
    /// Points this client at the cluster that <paramref name="options"/> describe: the loopback gateways
    /// <see cref="ClusterConnectionOptions.GatewayPorts"/> for localhost clustering, or the gateways listed in the
    /// Azure membership table. Throws <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    public static IClientBuilder UseOrleansRingClustering(this IClientBuilder client, ClusterConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Clustering == ClusteringKind.Localhost)
        {
            client.UseLocalhostClustering(options.ClientGatewayPorts(), options.ServiceId, options.ClusterId);
        }
        else
        {
            var tables = options.CreateTableServiceClient();
            var tableName = options.TableName;
            client.UseAzureStorageClustering(table =>
            {
                table.TableServiceClient = tables;
                table.TableName = tableName;
            });
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
        }
        if (options.FastFailureDetection)
        {
            client.Configure<GatewayOptions>(FastFailureDetection.Apply);
        }
        return client;
    }
}
