using OrleansRing.Results;
using OrleansRing.Sweeps;

namespace OrleansRing.Reporting;

/// <summary>Everything the report needs, read from a sweep's results folder (no cluster involved).</summary>
public sealed record SweepResultSet(string Name, string? Description, IReadOnlyList<string> AxisKeys, IReadOnlyList<ReportExperiment> Experiments)
{
    /// <exception cref="InvalidDataException">The folder holds no sweep, or a file in it is unreadable.</exception>
    public static SweepResultSet Load(SweepFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var state = folder.TryLoadState() ?? throw new InvalidDataException($"{folder.Root} holds no sweep (no {SweepFolder.StateFileName}); run 'orleansring sweep run' into it first.");
        var experiments = state.Experiments
            .Select(record => new ReportExperiment(record, ResultFiles.TryRead(folder.ExperimentFolder(record.Id))?.Result))
            .ToList();
        return new SweepResultSet(state.Name, state.Description, state.AxisKeys, experiments);
    }

    /// <summary>Axis values in the order they first appear in the grid.</summary>
    public IReadOnlyList<string> Values(string key) =>
        Experiments.Select(e => e.Setting(key)).OfType<string>().Distinct().ToList();
}
