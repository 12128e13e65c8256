using System.Globalization;
using System.Text;

namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// One typed, documented parameter of a plugin. The host parses <c>name=value</c> text and JSON against it, so a
/// plugin never sees an unparsed or out-of-range value. Create with the static factories.
/// </summary>
public sealed class PluginParameter
{
    private PluginParameter(
        string name,
        PluginParameterType type,
        object? defaultValue,
        string description,
        double minimum,
        double maximum,
        IReadOnlyList<string> allowedValues)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        if (minimum > maximum)
        {
            throw new ArgumentException($"Parameter '{name}': minimum {minimum} is above maximum {maximum}.", nameof(minimum));
        }

        Name = name;
        Type = type;
        DefaultValue = defaultValue;
        Description = description;
        Minimum = minimum;
        Maximum = maximum;
        AllowedValues = allowedValues;
    }

    /// <summary>Kebab-case name used in <c>NAME:key=value</c> and JSON, e.g. <c>scale</c> or <c>gamma-init</c>.</summary>
    public string Name { get; }

    public PluginParameterType Type { get; }

    /// <summary>
    /// The value used when the parameter is not given: a <see cref="double"/>, <see cref="int"/>, <see cref="bool"/>
    /// or <see cref="string"/> (also for enums). <c>null</c> means "optional, no default" (e.g. ALIE's z is computed
    /// when absent); the plugin then reads it with a <c>TryGet</c> method.
    /// </summary>
    public object? DefaultValue { get; }

    public string Description { get; }

    /// <summary>Inclusive lower bound for <see cref="PluginParameterType.Double"/> and <see cref="PluginParameterType.Int"/>.</summary>
    public double Minimum { get; }

    /// <summary>Inclusive upper bound for <see cref="PluginParameterType.Double"/> and <see cref="PluginParameterType.Int"/>.</summary>
    public double Maximum { get; }

    /// <summary>The accepted words of an <see cref="PluginParameterType.Enum"/> parameter; empty otherwise.</summary>
    public IReadOnlyList<string> AllowedValues { get; }

    /// <summary>True when <see cref="Minimum"/> or <see cref="Maximum"/> restricts the value.</summary>
    public bool HasRange => Type switch
    {
        PluginParameterType.Double => !double.IsNegativeInfinity(Minimum) || !double.IsPositiveInfinity(Maximum),
        PluginParameterType.Int => Minimum > int.MinValue || Maximum < int.MaxValue,
        _ => false,
    };

    public static PluginParameter Double(
        string name,
        double? defaultValue,
        string description,
        double minimum = double.NegativeInfinity,
        double maximum = double.PositiveInfinity)
    {
        if (defaultValue is { } value && (!double.IsFinite(value) || value < minimum || value > maximum))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultValue), value, $"Default of '{name}' is outside [{minimum}, {maximum}] or not finite.");
        }

        return new PluginParameter(name, PluginParameterType.Double, defaultValue, description, minimum, maximum, []);
    }

    public static PluginParameter Int(
        string name,
        int? defaultValue,
        string description,
        int minimum = int.MinValue,
        int maximum = int.MaxValue)
    {
        if (defaultValue is { } value && (value < minimum || value > maximum))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultValue), value, $"Default of '{name}' is outside [{minimum}, {maximum}].");
        }

        return new PluginParameter(name, PluginParameterType.Int, defaultValue, description, minimum, maximum, []);
    }

    public static PluginParameter Bool(string name, bool defaultValue, string description) =>
        new(name, PluginParameterType.Bool, defaultValue, description, double.NegativeInfinity, double.PositiveInfinity, []);

    public static PluginParameter String(string name, string? defaultValue, string description) =>
        new(name, PluginParameterType.String, defaultValue, description, double.NegativeInfinity, double.PositiveInfinity, []);

    /// <summary>An enum parameter over explicit words (compared case-insensitively, stored as written here).</summary>
    public static PluginParameter Enum(string name, string defaultValue, string description, params string[] allowedValues)
    {
        ArgumentNullException.ThrowIfNull(allowedValues);
        if (allowedValues.Length == 0)
        {
            throw new ArgumentException($"Enum parameter '{name}' needs at least one allowed value.", nameof(allowedValues));
        }

        if (!allowedValues.Contains(defaultValue, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Default '{defaultValue}' of '{name}' is not one of {string.Join(", ", allowedValues)}.", nameof(defaultValue));
        }

        return new PluginParameter(name, PluginParameterType.Enum, defaultValue, description, double.NegativeInfinity, double.PositiveInfinity, [.. allowedValues]);
    }

    /// <summary>
    /// An enum parameter whose words are the kebab-case names of <typeparamref name="TEnum"/>'s members
    /// (<c>ScatterReduce</c> becomes <c>scatter-reduce</c>); read it back with <see cref="PluginParameters.GetEnum{TEnum}"/>.
    /// </summary>
    public static PluginParameter Enum<TEnum>(string name, TEnum defaultValue, string description)
        where TEnum : struct, System.Enum
    {
        var words = System.Enum.GetNames<TEnum>().Select(ToKebabCase).ToArray();
        return Enum(name, ToKebabCase(defaultValue.ToString()), description, words);
    }

    /// <summary>The type as users read it in help and errors: <c>double in [0, 1]</c>, <c>one of a|b</c>...</summary>
    public string DescribeType()
    {
        return Type switch
        {
            PluginParameterType.Double when HasRange => $"double in [{Format(Minimum)}, {Format(Maximum)}]",
            PluginParameterType.Double => "double",
            PluginParameterType.Int when HasRange => $"int in [{Format(Minimum)}, {Format(Maximum)}]",
            PluginParameterType.Int => "int",
            PluginParameterType.Bool => "bool",
            PluginParameterType.String => "string",
            PluginParameterType.Enum => $"one of {string.Join('|', AllowedValues)}",
            _ => Type.ToString(),
        };
    }

    /// <summary>The default as text, or <c>none</c> for an optional parameter without one.</summary>
    public string DescribeDefault() => DefaultValue switch
    {
        null => "none",
        double d => Format(d),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "none",
    };

    /// <summary>E.g. <c>scale (double, default -4): factor applied to the gradient</c>.</summary>
    public override string ToString() => $"{Name} ({DescribeType()}, default {DescribeDefault()}): {Description}";

    internal static string ToKebabCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
