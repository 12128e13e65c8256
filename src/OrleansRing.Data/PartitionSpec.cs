using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OrleansRing.Data;

/// <summary>A partition as written on the command line: "iid" or "dirichlet:ALPHA" (e.g. "dirichlet:0.5").</summary>
/// <param name="Kind">IID or Dirichlet.</param>
/// <param name="Alpha">The Dirichlet concentration, positive and finite; ignored for IID.</param>
public sealed record PartitionSpec(PartitionKind Kind, double Alpha)
{
    private const string Usage = "use 'iid' or 'dirichlet:ALPHA' with ALPHA a positive number, e.g. 'dirichlet:0.5'";

    public static PartitionSpec Iid { get; } = new(PartitionKind.Iid, 0);

    public PartitionKind Kind { get; } = Enum.IsDefined(Kind)
        ? Kind
        : throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown partition kind.");

    // Stored as 0 for IID, so that two IID specs compare equal whatever alpha they were given.
    public double Alpha { get; } = Kind != PartitionKind.Dirichlet
        ? 0
        : Alpha > 0 && double.IsFinite(Alpha)
            ? Alpha
            : throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "The Dirichlet concentration alpha must be positive and finite.");

    public static PartitionSpec Dirichlet(double alpha) => new(PartitionKind.Dirichlet, alpha);

    /// <exception cref="FormatException">The text is neither "iid" nor "dirichlet:ALPHA" with a positive ALPHA.</exception>
    public static PartitionSpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out PartitionSpec? spec) => TryParse(text, out spec, out _);

    /// <summary>"iid" or "dirichlet:ALPHA", round-tripping through <see cref="Parse"/>.</summary>
    public override string ToString() =>
        Kind == PartitionKind.Iid ? "iid" : string.Create(CultureInfo.InvariantCulture, $"dirichlet:{Alpha:R}");

    private static bool TryParse(string? text, [NotNullWhen(true)] out PartitionSpec? spec, out string error)
    {
        spec = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Equals("iid", StringComparison.OrdinalIgnoreCase))
        {
            spec = Iid;
            error = string.Empty;
            return true;
        }
        const string prefix = "dirichlet:";
        if (!trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Partition '{text}' is not understood: {Usage}.";
            return false;
        }
        var number = trimmed[prefix.Length..].Trim();
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) || !(alpha > 0) || !double.IsFinite(alpha))
        {
            error = $"Partition '{text}' has alpha '{number}', which is not a positive finite number: {Usage}.";
            return false;
        }
        spec = Dirichlet(alpha);
        error = string.Empty;
        return true;
    }
}
