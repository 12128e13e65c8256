namespace OrleansRing.Api;

/// <summary>A request refused by one of the API's limits (answered 429 with the message, which names the limit).</summary>
public sealed class ApiLimitException : Exception
{
    public ApiLimitException()
    {
    }

    public ApiLimitException(string message)
        : base(message)
    {
    }

    public ApiLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
