namespace OrleansRing.Sweeps;

/// <summary>A sweep file that cannot run; every problem found is listed, each with its line and column.</summary>
public sealed class SweepFileException : Exception
{
    public SweepFileException(IReadOnlyList<SweepProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    public SweepFileException()
        : this([])
    {
    }

    public SweepFileException(string message)
        : base(message) => Problems = [];

    public SweepFileException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public IReadOnlyList<SweepProblem> Problems { get; }

    private static string Describe(IReadOnlyList<SweepProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
    }
}
