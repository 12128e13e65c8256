namespace OrleansRing.Api.Contracts;

/// <summary>
/// One problem of a submitted file, in the <c>problems</c> extension of the problem details: its line and column
/// (1-based; 0 for a problem of the request rather than the text) and the parameter it concerns, where one does.
/// </summary>
public sealed record ProblemEntry(int Line, int Column, string? Field, string Message);
