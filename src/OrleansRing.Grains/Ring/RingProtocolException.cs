namespace OrleansRing.Grains.Ring;

/// <summary>A ring message or step that breaks the protocol (wrong sender, chunk, length or experiment), or a neighbour that never answered.</summary>
[GenerateSerializer]
[Alias("orleansring.ring-protocol-exception")]
public sealed class RingProtocolException : Exception
{
    public RingProtocolException()
    {
    }

    public RingProtocolException(string message)
        : base(message)
    {
    }

    public RingProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
