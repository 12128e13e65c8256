using System.Globalization;
using System.Text.Json;

namespace OrleansRing.Plugins.Host;

/// <summary>
/// A plugin name with raw, not yet validated arguments, as a user wrote it: <c>gradient-ascent:scale=-4,scope=transmitted</c>
/// on the command line, or <c>{"name": "gradient-ascent", "parameters": {"scale": -4}}</c> in a sweep file.
/// <see cref="PluginCatalog"/> checks it against the plugin's descriptor.
/// </summary>
public sealed class PluginSelection
{
    public const string Syntax = "NAME[:key=value,...]";

    public PluginSelection(string name, IReadOnlyDictionary<string, string>? arguments = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PluginSelectionException($"A plugin selection needs a name; expected {Syntax}.");
        }

        Name = name.Trim();
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in arguments ?? new Dictionary<string, string>())
        {
            if (!copy.TryAdd(key, value))
            {
                throw new PluginSelectionException($"Parameter '{key}' is given twice for plugin '{Name}'.");
            }
        }

        Arguments = copy;
    }

    public string Name { get; }

    /// <summary>Parameter name to raw text value; names compare case-insensitively.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; }

    /// <summary>Parses <c>NAME[:key=value,...]</c>. Whitespace around names, keys and values is ignored.</summary>
    public static PluginSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new PluginSelectionException($"The plugin selection is empty; expected {Syntax}, e.g. gradient-ascent:scale=-4.");
        }

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? trimmed : trimmed[..colon]).Trim();
        if (name.Length == 0)
        {
            throw new PluginSelectionException($"'{text}' has no plugin name before ':'; expected {Syntax}.");
        }

        var arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            var list = trimmed[(colon + 1)..];
            if (list.Trim().Length > 0)
            {
                foreach (var rawPair in list.Split(','))
                {
                    var pair = rawPair.Trim();
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 0)
                    {
                        throw new PluginSelectionException(
                            pair.Length == 0
                                ? $"'{text}' has an empty entry between commas; expected {Syntax}."
                                : $"'{pair}' in '{text}' is not key=value; expected {Syntax}.");
                    }

                    var key = pair[..equals].Trim();
                    var value = pair[(equals + 1)..].Trim();
                    if (key.Length == 0)
                    {
                        throw new PluginSelectionException($"'{pair}' in '{text}' has no parameter name before '='.");
                    }

                    if (value.Length == 0)
                    {
                        throw new PluginSelectionException($"Parameter '{key}' in '{text}' has no value; leave it out to use its default.");
                    }

                    if (!arguments.TryAdd(key, value))
                    {
                        throw new PluginSelectionException($"Parameter '{key}' is given twice in '{text}'.");
                    }
                }
            }
        }

        return new PluginSelection(name, arguments);
    }

    /// <summary>Parses the JSON form; see <see cref="FromJson(JsonElement)"/>.</summary>
    public static PluginSelection FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new PluginSelectionException($"The plugin selection is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Accepts a string in the command-line form (<c>"ipm:epsilon=0.5"</c>) or an object
    /// <c>{"name": "ipm", "parameters": {"epsilon": 0.5}}</c> whose parameter values are JSON numbers, booleans or strings.
    /// </summary>
    public static PluginSelection FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Parse(element.GetString()!);
            case JsonValueKind.Object:
                break;
            default:
                throw new PluginSelectionException(
                    $"A plugin selection in JSON is a string (\"{Syntax}\") or an object {{\"name\": ..., \"parameters\": {{...}}}}; got {element.ValueKind}.");
        }

        string? name = null;
        var arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : throw new PluginSelectionException($"\"name\" must be a string; got {property.Value.ValueKind}.");
                    break;
                case "parameters":
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new PluginSelectionException($"\"parameters\" must be an object; got {property.Value.ValueKind}.");
                    }

                    foreach (var parameter in property.Value.EnumerateObject())
                    {
                        if (!arguments.TryAdd(parameter.Name, JsonValueText(parameter.Name, parameter.Value)))
                        {
                            throw new PluginSelectionException($"Parameter '{parameter.Name}' is given twice.");
                        }
                    }

                    break;
                default:
                    throw new PluginSelectionException(
                        $"Unknown key \"{property.Name}\" in a plugin selection; expected \"name\" and optionally \"parameters\".");
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PluginSelectionException("A plugin selection object needs a \"name\".");
        }

        return new PluginSelection(name, arguments);
    }

    /// <summary>The command-line form, e.g. <c>gradient-ascent:scale=-4</c>.</summary>
    public override string ToString() =>
        Arguments.Count == 0 ? Name : $"{Name}:{string.Join(',', Arguments.Select(kv => $"{kv.Key}={kv.Value}"))}";

    private static string JsonValueText(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => bool.TrueString.ToLower(CultureInfo.InvariantCulture),
        JsonValueKind.False => bool.FalseString.ToLower(CultureInfo.InvariantCulture),
        JsonValueKind.Null => throw new PluginSelectionException($"Parameter '{name}' is null; leave it out to use its default."),
        _ => throw new PluginSelectionException($"Parameter '{name}' must be a number, boolean or string; got {value.ValueKind}."),
    };
}
