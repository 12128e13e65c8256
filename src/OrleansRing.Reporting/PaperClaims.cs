using System.Globalization;

namespace OrleansRing.Reporting;

/// <summary>
/// Checks the claims of Wang et al. (2021) against a sweep with an attack axis that includes "none": each attack
/// lowers accuracy; some settings diverge; 16 workers are hurt less than 8 (one attacker is a smaller share).
/// </summary>
public static class PaperClaims
{
    /// <summary>A drop smaller than this (in accuracy, 0-1) is within run-to-run noise and does not count.</summary>
    public const double NoiseFloor = 0.01;

    /// <summary>Final accuracy at or below this is no better than guessing among CIFAR-10's ten classes.</summary>
    public const double ChanceLevel = 0.11;

    public static IReadOnlyList<ClaimVerdict> Evaluate(SweepResultSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var grid = AccuracyGrid.Build(set);
        if (grid is null || grid.RowKey != "attack" || !grid.Rows.Contains("none"))
        {
            return [];
        }
        var attacks = grid.Rows.Where(r => r != "none").ToList();
        var verdicts = new List<ClaimVerdict>();

        var lowered = new List<string>();
        var notLowered = new List<string>();
        foreach (var attack in attacks)
        {
            foreach (var column in grid.Columns)
            {
                if (grid.At("none", column) is not { } clean || grid.At(attack, column) is not { } attacked)
                {
                    continue;
                }
                var text = string.Create(CultureInfo.InvariantCulture, $"{attack} ({column}): {clean:P1} → {attacked:P1}");
                (clean - attacked >= NoiseFloor ? lowered : notLowered).Add(text);
            }
        }
        verdicts.Add(new ClaimVerdict(
            "Each attack lowers test accuracy",
            Verdict(lowered.Count, lowered.Count + notLowered.Count),
            $"lower by ≥ {NoiseFloor:P0} in {lowered.Count} of {lowered.Count + notLowered.Count} settings" + (notLowered.Count > 0 ? $"; not lowered: {string.Join("; ", notLowered)}" : "") + $". Lowered: {string.Join("; ", lowered)}"));

        var broken = set.Experiments
            .Where(e => e.Record.State == Sweeps.SweepExperimentState.Diverged || e.Accuracy is <= ChanceLevel)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{string.Join(" ", set.AxisKeys.Select(k => e.Setting(k)))}: {(e.Record.State == Sweeps.SweepExperimentState.Diverged ? $"diverged at iteration {e.Result?.DivergedAtIteration}" : "at chance")}, final {e.Accuracy:P1}"))
            .ToList();
        verdicts.Add(new ClaimVerdict(
            "Some settings diverge (training breaks down to chance accuracy)",
            broken.Count > 0 ? "supported" : "not supported",
            broken.Count > 0 ? $"{broken.Count} runs: {string.Join("; ", broken)}" : $"no run diverged or ended at or below {ChanceLevel:P0}"));

        if (grid.ColumnKeys.Contains("workers"))
        {
            var workersIndex = grid.ColumnKeys.ToList().IndexOf("workers");
            string Others(string column) => string.Join(" ", column.Split(' ').Where((_, i) => i != workersIndex));
            string Workers(string column) => column.Split(' ')[workersIndex];
            var better = new List<string>();
            var worse = new List<string>();
            foreach (var attack in attacks)
            {
                foreach (var eight in grid.Columns.Where(c => Workers(c) == "8"))
                {
                    var sixteen = grid.Columns.FirstOrDefault(c => Workers(c) == "16" && Others(c) == Others(eight));
                    if (sixteen is null || grid.At("none", eight) is not { } clean8 || grid.At(attack, eight) is not { } hit8
                        || grid.At("none", sixteen) is not { } clean16 || grid.At(attack, sixteen) is not { } hit16)
                    {
                        continue;
                    }
                    var drop8 = clean8 - hit8;
                    var drop16 = clean16 - hit16;
                    var text = string.Create(CultureInfo.InvariantCulture, $"{attack} {Others(eight)}: drop {drop8 * 100:0.0} pts at 8, {drop16 * 100:0.0} at 16");
                    (drop16 < drop8 ? better : worse).Add(text);
                }
            }
            verdicts.Add(new ClaimVerdict(
                "16 workers are hurt less than 8 (one attacker among more workers)",
                Verdict(better.Count, better.Count + worse.Count),
                $"{better.Count} of {better.Count + worse.Count} attack settings: {string.Join("; ", better.Concat(worse))}"));
        }
        return verdicts;
    }

    private static string Verdict(int holds, int of) => of == 0
        ? "not measured"
        : holds == of ? "supported" : holds * 2 > of ? "mostly supported" : holds > 0 ? "partly supported" : "not supported";

    public static string Markdown(IReadOnlyList<ClaimVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var lines = new List<string> { "| Claim of the paper | Our run | Numbers |", "|---|---|---|" };
        lines.AddRange(verdicts.Select(v => $"| {v.Claim} | {v.Verdict} | {v.Evidence.Replace("|", "\\|", StringComparison.Ordinal)} |"));
        return string.Join('\n', lines) + "\n";
    }
}
