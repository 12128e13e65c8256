namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Base for attacks that poison a vector without needing anyone else's data (flip, scale, noise, constant...): the
/// same <see cref="Poison"/> runs on the worker's own gradient (<see cref="AttackScope.Contribution"/>) or on every
/// chunk it sends, partial sums included (<see cref="AttackScope.Transmitted"/>). Declare <see cref="ScopeParameter"/>
/// in the descriptor and pass <c>parameters.GetEnum&lt;AttackScope&gt;("scope")</c> to the constructor.
/// </summary>
public abstract class ScopedVectorAttack : IAttack
{
    protected ScopedVectorAttack(AttackScope scope)
    {
        Scope = scope;
    }

    /// <summary>The <c>scope</c> parameter: contribution (default) or transmitted.</summary>
    public static PluginParameter ScopeParameter { get; } = PluginParameter.Enum(
        "scope",
        AttackScope.Contribution,
        "contribution: poison the worker's own gradient before the ring; transmitted: poison every chunk it sends, partial sums included");

    public AttackScope Scope { get; }

    public AttackHooks Hooks => Scope == AttackScope.Contribution ? AttackHooks.Contribution : AttackHooks.Transmitted;

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        Poison(gradient, context.Random);
        return ContributionResult.Unchanged;
    }

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        Poison(chunk, context.Random);
        return TransmitResult.Unchanged;
    }

    /// <summary>Poisons <paramref name="values"/> in place.</summary>
    protected abstract void Poison(Span<float> values, AttackRandom random);
}
