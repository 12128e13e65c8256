namespace OrleansRing.Hosting;

/// <summary>A client could not reach the cluster in time; the message names the clustering and the endpoint (never a key).</summary>
public sealed class ClusterConnectionException : Exception
{
    public ClusterConnectionException()
    {
    }

    public ClusterConnectionException(string message)
        : base(message)
    {
    }

    public ClusterConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
