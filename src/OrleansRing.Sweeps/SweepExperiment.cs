using OrleansRing.Abstractions;

namespace OrleansRing.Sweeps;

/// <summary>One point of a sweep's grid: its stable id, its full configuration and the settings that made it.</summary>
public sealed record SweepExperiment(string Id, ExperimentConfig Config, IReadOnlyList<SweepSetting> Settings)
{
    /// <summary>The value of <paramref name="key"/> in this experiment, or null where the file left it at its default.</summary>
    public string? Value(string key) => Settings.FirstOrDefault(s => s.Key == key)?.Value;
}
