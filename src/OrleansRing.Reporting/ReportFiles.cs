namespace OrleansRing.Reporting;

/// <summary>What `orleansring report` wrote.</summary>
public sealed record ReportFiles(string HtmlPath, string ClaimsPath, IReadOnlyList<FigureFile> Figures);
