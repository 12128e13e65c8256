using System.Globalization;
using System.Net;
using System.Text;

namespace OrleansRing.Reporting;

/// <summary>One HTML file with everything inlined (figures as data URIs), so it can be mailed or archived alone.</summary>
internal static class HtmlReport
{
    public static string Render(SweepResultSet set, AccuracyGrid? grid, IReadOnlyList<ClaimVerdict> claims, IReadOnlyList<FigureFile> figures)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(set.Name)}} — OrleansRing sweep report</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
            .diverged { color: #a60; } .failed { color: #b00; }
            </style></head><body>
            <h1>Sweep {{E(set.Name)}}</h1>
            """);
        if (set.Description is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(set.Description)}</p>\n");
        }
        var finished = set.Experiments.Count(e => e.Record.IsFinished);
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"counts\">{set.Experiments.Count} experiments, {finished} finished.</p>\n");
        if (claims.Count > 0)
        {
            html.Append("<h2>The paper's claims</h2>\n<table id=\"claims\"><tr><th>Claim</th><th>Our run</th><th>Numbers</th></tr>\n");
            foreach (var claim in claims)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(claim.Claim)}</td><td>{E(claim.Verdict)}</td><td>{E(claim.Evidence)}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        if (grid is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Final test accuracy</h2>\n<table id=\"accuracy\"><tr><th>{E(grid.RowKey)}</th>");
            foreach (var column in grid.Columns)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
            }
            html.Append("</tr>\n");
            for (var r = 0; r < grid.Rows.Count; r++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(grid.Rows[r])}</th>");
                for (var c = 0; c < grid.Columns.Count; c++)
                {
                    var text = grid.Accuracy[r, c] is { } a ? a.ToString("P1", CultureInfo.InvariantCulture) : "—";
                    html.Append(grid.Diverged[r, c]
                        ? $"<td class=\"n diverged\">{E(text)} (diverged)</td>"
                        : $"<td class=\"n\">{E(text)}</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("<h2>Figures</h2>\n");
        foreach (var figure in figures)
        {
            var data = Convert.ToBase64String(File.ReadAllBytes(figure.PngPath));
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"figure\"><img alt=\"{E(figure.Title)}\" src=\"data:image/png;base64,{data}\"><figcaption>{E(figure.Title)} (<a href=\"{E(Path.GetFileName(figure.SvgPath))}\">SVG</a>)</figcaption></figure>\n");
        }
        html.Append("<h2>Experiments</h2>\n<table id=\"experiments\"><tr><th>id</th>");
        foreach (var key in set.AxisKeys)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(key)}</th>");
        }
        html.Append("<th>state</th><th>final test accuracy</th><th>wall s</th><th>error</th></tr>\n");
        foreach (var experiment in set.Experiments)
        {
            var state = experiment.Record.State.ToString().ToLowerInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(experiment.Record.Id)}</td>");
            foreach (var key in set.AxisKeys)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{E(experiment.Setting(key) ?? "")}</td>");
            }
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"{state}\">{state}</td><td class=\"n\">{experiment.Accuracy?.ToString("P2", CultureInfo.InvariantCulture)}</td><td class=\"n\">{experiment.Record.WallSeconds?.ToString("0", CultureInfo.InvariantCulture)}</td><td>{E(experiment.Record.Error ?? "")}</td></tr>\n");
        }
        // Counts the figures the browser actually decoded, so a reader (or a headless check) sees a broken one.
        html.Append("</table>\n<script>addEventListener('load', () => { document.body.dataset.figuresLoaded = [...document.images].filter(i => i.complete && i.naturalWidth > 0).length; });</script>\n</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
