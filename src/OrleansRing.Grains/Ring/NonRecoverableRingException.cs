namespace OrleansRing.Grains.Ring;

/// <summary>
/// A failure that recovering the ring cannot fix (the chunk store is unreachable or corrupt, a plugin
/// failed): the coordinator fails the experiment instead of restoring a checkpoint. Serialisable, so the
/// distinction survives the hop from a worker on another silo.
/// </summary>
[GenerateSerializer]
[Alias("orleansring.non-recoverable-ring-exception")]
public sealed class NonRecoverableRingException : Exception
{
    public NonRecoverableRingException()
    {
    }

    public NonRecoverableRingException(string message)
        : base(message)
    {
    }

    public NonRecoverableRingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
