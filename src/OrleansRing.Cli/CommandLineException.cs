namespace OrleansRing.Cli;

/// <summary>Bad options or data found before anything runs; printed as one line, exit code 2.</summary>
public sealed class CommandLineException : Exception
{
    public CommandLineException()
    {
    }

    public CommandLineException(string message)
        : base(message)
    {
    }

    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
