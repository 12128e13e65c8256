using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

internal sealed class MimicAttack(int target) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Contribution;

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        var honest = context.HonestGradients;
        if (target >= honest.Count)
        {
            throw new InvalidOperationException($"mimic:target={target} but there are only {honest.Count} honest workers (targets 0..{honest.Count - 1}).");
        }

        // Hand the honest vector back as it is; the host copies it over the gradient.
        return ContributionResult.Replace(honest[target].Span);
    }
}
