namespace OrleansRing.Abstractions;

/// <summary>The string key of a worker grain: "{experimentId}/{rank}".</summary>
public static class WorkerKey
{
    public static string For(string experimentId, int rank) => $"{experimentId}/{rank}";

    public static (string ExperimentId, int Rank) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), out var rank) || rank < 0)
        {
            throw new FormatException($"'{key}' is not a worker key of the form experimentId/rank.");
        }
        return (key[..slash], rank);
    }
}
