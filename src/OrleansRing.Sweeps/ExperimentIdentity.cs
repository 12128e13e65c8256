using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansRing.Abstractions;
using OrleansRing.Results;

namespace OrleansRing.Sweeps;

/// <summary>
/// A stable experiment id: the sweep's name and a hash of the configuration. Only values that differ from the
/// defaults are hashed, so a field added in a later version (at its default) keeps every id, and the data is
/// named by file name, not by where it lies on this machine; rerunning a sweep finds its finished experiments.
/// </summary>
public static class ExperimentIdentity
{
    public const int HashLength = 12;

    public static string For(string sweepName, ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        ArgumentNullException.ThrowIfNull(config);
        return $"{sweepName}-{Hash(config)}";
    }

    /// <summary>The canonical text that is hashed: sorted keys, defaults and the id left out.</summary>
    public static string CanonicalText(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var portable = config with
        {
            ExperimentId = "",
            Data = config.Data with { Path = config.Data.Path is null ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(config.Data.Path)) },
        };
        var value = JsonSerializer.SerializeToNode(portable, ResultFiles.JsonOptions)!.AsObject();
        var defaults = JsonSerializer.SerializeToNode(new ExperimentConfig { ExperimentId = "" }, ResultFiles.JsonOptions)!.AsObject();
        return Canonical(Difference(value, defaults) ?? new JsonObject()).ToJsonString();
    }

    private static string Hash(ExperimentConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(config))))[..HashLength];

    private static JsonObject? Difference(JsonObject value, JsonObject defaults)
    {
        var result = new JsonObject();
        foreach (var (key, node) in value)
        {
            var baseline = defaults[key];
            if (node is JsonObject nested && baseline is JsonObject nestedDefaults)
            {
                if (Difference(nested, nestedDefaults) is { } inner)
                {
                    result[key] = inner;
                }
            }
            else if (!JsonNode.DeepEquals(node, baseline))
            {
                result[key] = node?.DeepClone();
            }
        }
        return result.Count == 0 ? null : result;
    }

    private static JsonNode Canonical(JsonObject value)
    {
        var sorted = new JsonObject();
        foreach (var (key, node) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sorted[key] = node is JsonObject inner ? Canonical(inner) : node?.DeepClone();
        }
        return sorted;
    }
}
