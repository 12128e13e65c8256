namespace OrleansRing.Sweeps;

/// <summary>
/// One thing wrong with a sweep file, with where it is and, where it concerns one parameter, that parameter's key
/// (<paramref name="Field"/>: "attack", "workers", ...), so an HTTP client can point at the field.
/// </summary>
public sealed record SweepProblem(string File, SourceLocation Location, string Message, string? Field = null)
{
    /// <summary>The compiler-style form editors and CI logs link: "file:line:column: message".</summary>
    public override string ToString() => $"{File}:{Location.Line}:{Location.Column}: {Message}";
}
