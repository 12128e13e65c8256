namespace OrleansRing.Reporting;

/// <summary>One figure of the report, drawn twice: PNG for the page and README, SVG for papers.</summary>
public sealed record FigureFile(string Title, string PngPath, string SvgPath);
