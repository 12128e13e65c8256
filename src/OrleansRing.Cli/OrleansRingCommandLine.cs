using System.CommandLine;
using OrleansRing.Cli.Commands;

namespace OrleansRing.Cli;

/// <summary>The `orleansring` command tree. Exit codes: 0 success, 1 the run failed, 2 bad options or data.</summary>
public static class OrleansRingCommandLine
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int BadInput = 2;

    public static RootCommand Build() => new("OrleansRing: ring all-reduce training on Orleans grains, and attacks on it.")
    {
        RunCommand.Create(),
        BenchCommand.Create(),
    };

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line that says what is wrong, not a page of help.
            await Console.Error.WriteLineAsync($"orleansring: {parse.Errors[0].Message.ReplaceLineEndings(" ").Trim()} (see '{parse.CommandResult.Command.Name} --help')");
            return BadInput;
        }
        return await parse.InvokeAsync();
    }
}
