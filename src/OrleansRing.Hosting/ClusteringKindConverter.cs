using System.ComponentModel;
using System.Globalization;

namespace OrleansRing.Hosting;

/// <summary>
/// Reads <see cref="ClusteringKind"/> from its text forms. The configuration binder uses it, so
/// <c>ORLEANSRING__Cluster__Clustering=azure-table</c> binds although "azure-table" is no enum name.
/// </summary>
internal sealed class ClusteringKindConverter : EnumConverter
{
    public const string LocalhostText = "localhost";
    public const string AzureTableText = "azure-table";

    public ClusteringKindConverter()
        : base(typeof(ClusteringKind))
    {
    }

    public static bool TryParse(string? text, out ClusteringKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case LocalhostText:
                kind = ClusteringKind.Localhost;
                return true;
            case AzureTableText or "azuretable" or "azure_table":
                kind = ClusteringKind.AzureTable;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string ToText(ClusteringKind kind) => kind switch
    {
        ClusteringKind.Localhost => LocalhostText,
        ClusteringKind.AzureTable => AzureTableText,
        _ => kind.ToString(),
    };

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? TryParse(text, out var kind)
                ? kind
                : throw new FormatException($"Clustering '{text}' is unknown; expected '{LocalhostText}' or '{AzureTableText}'.")
            : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is ClusteringKind kind && destinationType == typeof(string)
            ? ToText(kind)
            : base.ConvertTo(context, culture, value, destinationType);
}
