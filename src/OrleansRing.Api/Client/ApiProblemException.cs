using OrleansRing.Api.Contracts;

namespace OrleansRing.Api.Client;

/// <summary>The API refused a request: its status code, the problem's detail and, for a rejected file, every problem.</summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException()
        : this(0, "the API refused the request", [])
    {
    }

    public ApiProblemException(string message)
        : this(0, message, [])
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public ApiProblemException(int statusCode, string message, IReadOnlyList<ProblemEntry> problems)
        : base(message)
    {
        StatusCode = statusCode;
        Problems = problems;
    }

    public int StatusCode { get; }

    public IReadOnlyList<ProblemEntry> Problems { get; }
}
