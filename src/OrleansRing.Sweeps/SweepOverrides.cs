namespace OrleansRing.Sweeps;

/// <summary>
/// Values given on the command line that replace the file's (e.g. `--data` to point a preset at real CIFAR-10,
/// `--set epochs=1`); an override is a single value, so it removes that key's axis.
/// </summary>
public sealed record SweepOverrides
{
    public static SweepOverrides None { get; } = new();

    /// <summary>Key → value text, parsed exactly like a scalar in the file.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>Largest grid accepted; a file expanding past it is refused with its count.</summary>
    public int MaxExperiments { get; init; } = 10_000;
}
