namespace OrleansRing.Cli.Commands;

/// <summary>An exception's message as the one line the command line prints.</summary>
internal static class ErrorText
{
    public static string OneLine(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        // ArgumentException appends " (Parameter 'name')", which names a C# parameter, not an option.
        if (exception is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }
        return message.ReplaceLineEndings(" ").Trim();
    }
}
