namespace OrleansRing.Sweeps;

/// <summary>One thing wrong with a sweep file, with where it is.</summary>
public sealed record SweepProblem(string File, SourceLocation Location, string Message)
{
    /// <summary>The compiler-style form editors and CI logs link: "file:line:column: message".</summary>
    public override string ToString() => $"{File}:{Location.Line}:{Location.Column}: {Message}";
}
