using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

internal sealed class IpmAttack(double epsilon) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Contribution;

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        GradientMath.Mean(context.HonestGradients, gradient);
        var factor = (float)-epsilon;
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] *= factor;
        }

        return ContributionResult.Unchanged;
    }
}
