using System.Globalization;

namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// The validated parameter values a plugin is created with: every declared parameter is present, holding the given
/// value or its default (<c>null</c> for an optional parameter left out). The host builds it; tests may too.
/// Names compare case-insensitively.
/// </summary>
public sealed class PluginParameters
{
    private readonly Dictionary<string, object?> _values;

    public PluginParameters(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            if (value is not (null or double or int or bool or string))
            {
                throw new ArgumentException($"Parameter '{name}' holds a {value.GetType().Name}; only double, int, bool and string are allowed.", nameof(values));
            }

            _values.Add(name, value);
        }
    }

    /// <summary>No parameters (for plugins that declare none).</summary>
    public static PluginParameters Empty { get; } = new([]);

    public IReadOnlyCollection<string> Names => _values.Keys;

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The raw value (<see cref="double"/>, <see cref="int"/>, <see cref="bool"/>, <see cref="string"/> or null).</summary>
    public object? GetValue(string name) =>
        _values.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"No parameter '{name}'. Known: {(_values.Count == 0 ? "none" : string.Join(", ", _values.Keys))}.");

    public double GetDouble(string name) =>
        TryGetDouble(name, out var value) ? value : throw Missing(name, "double");

    /// <summary>False when the parameter is optional and was not given. An int value widens to double.</summary>
    public bool TryGetDouble(string name, out double value)
    {
        switch (GetValue(name))
        {
            case double d:
                value = d;
                return true;
            case int i:
                value = i;
                return true;
            case null:
                value = 0;
                return false;
            case var other:
                throw WrongType(name, other, "double");
        }
    }

    public int GetInt(string name) =>
        TryGetInt(name, out var value) ? value : throw Missing(name, "int");

    public bool TryGetInt(string name, out int value)
    {
        switch (GetValue(name))
        {
            case int i:
                value = i;
                return true;
            case null:
                value = 0;
                return false;
            case var other:
                throw WrongType(name, other, "int");
        }
    }

    public bool GetBool(string name) => GetValue(name) switch
    {
        bool b => b,
        null => throw Missing(name, "bool"),
        var other => throw WrongType(name, other, "bool"),
    };

    public string GetString(string name) =>
        TryGetString(name, out var value) ? value : throw Missing(name, "string");

    public bool TryGetString(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        switch (GetValue(name))
        {
            case string s:
                value = s;
                return true;
            case null:
                value = null;
                return false;
            case var other:
                throw WrongType(name, other, "string");
        }
    }

    /// <summary>
    /// Reads an enum parameter as <typeparamref name="TEnum"/>: <c>scatter-reduce</c> matches member <c>ScatterReduce</c>
    /// (dashes dropped, case ignored), the pairing that <see cref="PluginParameter.Enum{TEnum}"/> declares.
    /// </summary>
    public TEnum GetEnum<TEnum>(string name)
        where TEnum : struct, System.Enum
    {
        var text = GetString(name);
        if (System.Enum.TryParse<TEnum>(text.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
            && System.Enum.IsDefined(value))
        {
            return value;
        }

        throw new InvalidOperationException($"Parameter '{name}' value '{text}' is not a member of {typeof(TEnum).Name}.");
    }

    /// <summary>E.g. <c>scale=-4,scope=contribution</c> (the command-line form; optional parameters left out are omitted).</summary>
    public override string ToString() =>
        string.Join(',', _values.Where(kv => kv.Value is not null).Select(kv => $"{kv.Key}={Format(kv.Value)}"));

    private static string Format(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };

    private static InvalidOperationException Missing(string name, string type) =>
        new($"Parameter '{name}' ({type}) has no value and no default; read it with a TryGet method.");

    private static InvalidOperationException WrongType(string name, object value, string type) =>
        new($"Parameter '{name}' holds a {value.GetType().Name}, not a {type}.");
}
