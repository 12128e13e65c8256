using System.CommandLine;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring report DIR`: figures, claims and an HTML report from a sweep's results folder.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "A sweep's results folder (runs/<sweep name>), or a timeline JSON file (run --timeline) to draw as PNG and SVG beside it." };
        var command = new Command("report", "Draw a sweep's figures (PNG and SVG), the paper's claims table and a self-contained report.html into DIR/report; or draw one timeline file.") { dir };
        command.SetAction(async parse =>
        {
            var target = parse.GetValue(dir)!;
            if (File.Exists(target))
            {
                try
                {
                    var timeline = Telemetry.TimelineDocument.Load(target);
                    var figure = TimelineChart.Draw(timeline, Path.GetDirectoryName(Path.GetFullPath(target))!, Path.GetFileNameWithoutExtension(target), $"Timeline — {timeline.ExperimentId}");
                    Console.WriteLine($"{figure.PngPath}\n{figure.SvgPath}");
                    return OrleansRingCommandLine.Success;
                }
                catch (Telemetry.TimelineFormatException ex)
                {
                    await Console.Error.WriteLineAsync($"orleansring report: {ex.Message}");
                    return OrleansRingCommandLine.BadInput;
                }
            }
            ReportFiles files;
            try
            {
                files = SweepReport.Write(new SweepFolder(target));
            }
            catch (Exception ex) when (ex is InvalidDataException or Telemetry.TimelineFormatException)
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
