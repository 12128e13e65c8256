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
        SweepCommand.Create(),
        ReportCommand.Create(),
        BenchCommand.Create(),
        SiloCommand.Create(),
        PluginsCommand.Create(),
        BlobsCommand.Create(),
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
        // A silo's generic host handles SIGTERM/SIGINT itself and may take its whole ShutdownTimeout; the
        // command line's own handling would cancel it and exit after 2 s.
        var invocation = new InvocationConfiguration();
        if (parse.CommandResult.Command.Name == SiloCommand.Name)
        {
            invocation.ProcessTerminationTimeout = null;
        }
        return await parse.InvokeAsync(invocation);
    }
}
