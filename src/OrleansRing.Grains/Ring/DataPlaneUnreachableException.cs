namespace OrleansRing.Grains.Ring;

/// <summary>
/// The data plane could not connect to a peer silo's listener (a firewall, a NetworkPolicy, an address this silo cannot
/// reach). Unlike a connection that breaks, nothing was sent, so the sender may use Orleans messages instead.
/// </summary>
internal sealed class DataPlaneUnreachableException(string endpoint, Exception innerException)
    : Exception($"The ring data plane at {endpoint} cannot be reached: {innerException.Message}", innerException)
{
    public string Endpoint { get; } = endpoint;
}
