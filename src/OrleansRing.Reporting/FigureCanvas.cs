using ScottPlot;

namespace OrleansRing.Reporting;

/// <summary>Saves a plot as PNG and SVG with one size and font, so every figure of a report looks alike.</summary>
internal static class FigureCanvas
{
    public const int Width = 900;
    public const int Height = 560;

    public static FigureFile Save(Plot plot, string folder, string fileStem, string title)
    {
        Directory.CreateDirectory(folder);
        var png = Path.Combine(folder, fileStem + ".png");
        var svg = Path.Combine(folder, fileStem + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return new FigureFile(title, png, svg);
    }

    public static string Stem(params string?[] parts) =>
        string.Join('-', parts.Where(p => !string.IsNullOrEmpty(p)).Select(p => new string([.. p!.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]).Trim('-')));
}
