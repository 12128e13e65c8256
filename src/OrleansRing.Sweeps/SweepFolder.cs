using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Results;

namespace OrleansRing.Sweeps;

/// <summary>
/// A sweep's results folder: sweep.yaml (the file as run), sweep.json (state), summary.csv and
/// experiments/&lt;id&gt;/ with result.json and metrics.csv (or error.txt when it failed before producing a result).
/// An experiment counts as finished only once its result.json or error.txt is in place, so a client killed at any
/// moment leaves nothing half-finished marked as done.
/// </summary>
public sealed class SweepFolder
{
    public const string StateFileName = "sweep.json";
    public const string SweepFileCopyName = "sweep.yaml";
    public const string SummaryFileName = "summary.csv";
    public const string ErrorFileName = "error.txt";

    private readonly Lock _gate = new();

    public SweepFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Root = Path.GetFullPath(path);
    }

    public string Root { get; }

    public string StatePath => Path.Combine(Root, StateFileName);

    public string SummaryPath => Path.Combine(Root, SummaryFileName);

    public string ReportFolder => Path.Combine(Root, "report");

    public string ExperimentFolder(string experimentId) => Path.Combine(Root, "experiments", experimentId);

    /// <summary>What the folder says about an experiment: its result, its recorded error, or pending.</summary>
    public SweepExperimentRecord Inspect(SweepExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var record = new SweepExperimentRecord { Id = experiment.Id, Settings = experiment.Settings.ToDictionary(s => s.Key, s => s.Value) };
        var folder = ExperimentFolder(experiment.Id);
        if (ResultFiles.TryRead(folder) is { } document)
        {
            return record with
            {
                State = StateOf(document.Result),
                Error = document.Result.Error,
                FinalTestAccuracy = document.Result.FinalTestAccuracy,
                WallSeconds = document.Result.WallSeconds,
                FinishedAt = document.WrittenAt,
            };
        }
        var error = Path.Combine(folder, ErrorFileName);
        return File.Exists(error)
            ? record with { State = SweepExperimentState.Failed, Error = File.ReadAllText(error).Trim(), FinishedAt = File.GetLastWriteTimeUtc(error) }
            : record;
    }

    public static SweepExperimentState StateOf(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.State switch
        {
            ExperimentState.Completed => SweepExperimentState.Completed,
            ExperimentState.Diverged => SweepExperimentState.Diverged,
            _ => SweepExperimentState.Failed,
        };
    }

    public void WriteResult(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var folder = ExperimentFolder(result.Config.ExperimentId);
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, ErrorFileName));
        ResultFiles.Write(folder, result);
    }

    /// <summary>An experiment that failed without a result (rejected configuration, unknown plugin parameter, ...).</summary>
    public void WriteError(string experimentId, string error)
    {
        var folder = ExperimentFolder(experimentId);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, ErrorFileName), error + Environment.NewLine);
    }

    /// <summary>Forgets a failure so the experiment runs again (--retry-failed).</summary>
    public void ClearFailure(string experimentId)
    {
        var folder = ExperimentFolder(experimentId);
        if (!Directory.Exists(folder))
        {
            return;
        }
        File.Delete(Path.Combine(folder, ErrorFileName));
        if (ResultFiles.TryRead(folder) is { } document && StateOf(document.Result) == SweepExperimentState.Failed)
        {
            File.Delete(Path.Combine(folder, ResultFiles.ResultFileName));
        }
    }

    public void SaveState(SweepStateDocument state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            Directory.CreateDirectory(Root);
            AtomicFile.WriteAllText(StatePath, JsonSerializer.Serialize(state with { UpdatedAt = DateTimeOffset.UtcNow }, ResultFiles.JsonOptions));
        }
    }

    public void SaveSweepFile(string sourcePath)
    {
        Directory.CreateDirectory(Root);
        AtomicFile.WriteAllText(Path.Combine(Root, SweepFileCopyName), File.ReadAllText(sourcePath));
    }

    /// <summary>sweep.json, or null where this folder holds no sweep.</summary>
    /// <exception cref="InvalidDataException">sweep.json exists but cannot be read.</exception>
    public SweepStateDocument? TryLoadState()
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }
        try
        {
            var state = JsonSerializer.Deserialize<SweepStateDocument>(File.ReadAllText(StatePath), ResultFiles.JsonOptions);
            return state is { Schema: SweepStateDocument.CurrentSchema }
                ? state
                : throw new InvalidDataException($"{StatePath}: not an {SweepStateDocument.CurrentSchema} document.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{StatePath}: unreadable ({ex.Message}).", ex);
        }
    }
}
