namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// What <see cref="IAttack.OnContribution"/> returns: <c>default</c> (the gradient span, possibly edited in place, is
/// sent) or a replacement the host copies over the gradient. A ref struct so a replacement can point at memory the
/// attack already has (an honest gradient, a cached vector) without a copy inside the plugin.
/// </summary>
public readonly ref struct ContributionResult
{
    private ContributionResult(ReadOnlySpan<float> replacement)
    {
        Replacement = replacement;
        IsReplaced = true;
    }

    /// <summary>The gradient was left as it is or edited in place.</summary>
    public static ContributionResult Unchanged => default;

    public bool IsReplaced { get; }

    /// <summary>Must have the gradient's length; the host rejects any other length.</summary>
    public ReadOnlySpan<float> Replacement { get; }

    public static ContributionResult Replace(ReadOnlySpan<float> values) => new(values);
}
