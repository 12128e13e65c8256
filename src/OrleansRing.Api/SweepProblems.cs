using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansRing.Api.Contracts;
using OrleansRing.Sweeps;

namespace OrleansRing.Api;

/// <summary>
/// A rejected file as problem details (RFC 9457): status 400, the first problem as the detail and every problem,
/// with its line, column and field, in the <c>problems</c> extension. The messages are the command line's.
/// </summary>
public static class SweepProblems
{
    public const string ProblemsExtension = "problems";
    public const string Type = "https://github.com/orleansring/orleansring/blob/main/README.md#http-api";

    public static ProblemHttpResult ToProblem(SweepFileException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var problems = exception.Problems.Select(p => new ProblemEntry(p.Location.Line, p.Location.Column, p.Field, p.Message)).ToList();
        var detail = problems.Count == 0
            ? exception.Message
            : problems.Count == 1
                ? Describe(problems[0])
                : $"{problems.Count} problems; the first: {Describe(problems[0])}";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The submitted file cannot run",
            detail: detail,
            type: Type,
            extensions: new Dictionary<string, object?> { [ProblemsExtension] = problems });
    }

    /// <summary>"line 5, column 3 (attack): message".</summary>
    public static string Describe(ProblemEntry problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var where = problem.Line > 0 ? $"line {problem.Line}, column {problem.Column}" : "request";
        return problem.Field is null ? $"{where}: {problem.Message}" : $"{where} ({problem.Field}): {problem.Message}";
    }
}
