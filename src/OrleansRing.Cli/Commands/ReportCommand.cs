using System.CommandLine;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring report DIR`: figures, claims and an HTML report from a sweep's results folder.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "A sweep's results folder (runs/<sweep name>)." };
        var command = new Command("report", "Draw a sweep's figures (PNG and SVG), the paper's claims table and a self-contained report.html into DIR/report.") { dir };
        command.SetAction(async parse =>
        {
            ReportFiles files;
            try
            {
                files = SweepReport.Write(new SweepFolder(parse.GetValue(dir)!));
            }
            catch (InvalidDataException ex)
            {
                await Console.Error.WriteLineAsync($"orleansring report: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            foreach (var figure in files.Figures)
            {
                Console.WriteLine($"{figure.PngPath}  ({figure.Title})");
            }
            Console.WriteLine($"{files.ClaimsPath}");
            Console.WriteLine($"{files.HtmlPath}");
            return OrleansRingCommandLine.Success;
        });
        return command;
    }
}
