namespace OrleansRing.Telemetry;

/// <summary>A timeline file that is not trace-event JSON of the shape <see cref="TimelineDocument"/> writes; the message says where.</summary>
public sealed class TimelineFormatException : Exception
{
    public TimelineFormatException()
    {
    }

    public TimelineFormatException(string message)
        : base(message)
    {
    }

    public TimelineFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
