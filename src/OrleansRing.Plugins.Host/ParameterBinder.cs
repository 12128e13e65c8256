using System.Globalization;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>Turns raw text arguments into <see cref="PluginParameters"/>, with errors that say what is valid.</summary>
internal static class ParameterBinder
{
    public static PluginParameters Bind(PluginDescriptor descriptor, IReadOnlyDictionary<string, string> arguments)
    {
        foreach (var key in arguments.Keys)
        {
            if (descriptor.FindParameter(key) is null)
            {
                throw new PluginSelectionException(
                    $"Plugin '{descriptor.Name}' has no parameter '{key}'.{NameSuggestion.DidYouMean(key, descriptor.Parameters.Select(p => p.Name))} "
                    + DescribeParameters(descriptor));
            }
        }

        var values = new List<KeyValuePair<string, object?>>(descriptor.Parameters.Count);
        foreach (var parameter in descriptor.Parameters)
        {
            var value = arguments.TryGetValue(parameter.Name, out var text)
                ? Parse(descriptor, parameter, text)
                : parameter.DefaultValue;
            values.Add(new(parameter.Name, value));
        }

        return new PluginParameters(values);
    }

    /// <summary>E.g. "Its parameters: scale (double, default -4), scope (one of contribution|transmitted, default contribution)."</summary>
    public static string DescribeParameters(PluginDescriptor descriptor) =>
        descriptor.Parameters.Count == 0
            ? "It takes no parameters."
            : $"Its parameters: {string.Join(", ", descriptor.Parameters.Select(p => $"{p.Name} ({p.DescribeType()}, default {p.DescribeDefault()})"))}.";

    private static object Parse(PluginDescriptor descriptor, PluginParameter parameter, string text)
    {
        var value = text.Trim();
        switch (parameter.Type)
        {
            case PluginParameterType.Double:
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    && double.IsFinite(d)
                    && d >= parameter.Minimum
                    && d <= parameter.Maximum)
                {
                    return d;
                }

                break;
            case PluginParameterType.Int:
                if (TryParseInt(value, out var i) && i >= parameter.Minimum && i <= parameter.Maximum)
                {
                    return i;
                }

                break;
            case PluginParameterType.Bool:
                switch (value.ToLowerInvariant())
                {
                    case "true" or "yes" or "on" or "1":
                        return true;
                    case "false" or "no" or "off" or "0":
                        return false;
                }

                break;
            case PluginParameterType.String:
                return value;
            case PluginParameterType.Enum:
                if (parameter.AllowedValues.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) is { } word)
                {
                    return word;
                }

                break;
        }

        var expected = parameter.Type switch
        {
            PluginParameterType.Double => $"a finite {parameter.DescribeType()}",
            PluginParameterType.Int => $"an {parameter.DescribeType()}",
            PluginParameterType.Bool => "a bool (true or false)",
            _ => parameter.DescribeType(),
        };
        var hint = parameter.Type == PluginParameterType.Enum ? NameSuggestion.DidYouMean(value, parameter.AllowedValues) : string.Empty;
        throw new PluginSelectionException(
            $"Parameter '{parameter.Name}' of plugin '{descriptor.Name}' expects {expected}; got '{text}'.{hint}");
    }

    // JSON writes 4 as "4" but a sweep generator may write 4.0; accept any integral number in range.
    private static bool TryParseInt(string text, out int value)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsInteger(d)
            && d >= int.MinValue
            && d <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return false;
    }
}
