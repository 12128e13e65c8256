namespace OrleansRing.Data;

/// <summary>
/// A dataset on disk is missing, incomplete or malformed. The message names the file (and the record
/// where one is at fault) so that a bad download can be found without a debugger.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException()
    {
    }

    public DatasetFormatException(string message)
        : base(message)
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
