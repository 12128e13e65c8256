using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

internal sealed class SignFlippingMeanAttack : IAttack
{
    public AttackHooks Hooks => AttackHooks.Contribution;

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        GradientMath.Mean(context.HonestGradients, gradient);
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = -gradient[i];
        }

        return ContributionResult.Unchanged;
    }
}
