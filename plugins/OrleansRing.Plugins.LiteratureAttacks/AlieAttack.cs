using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

internal sealed class AlieAttack(double? fixedZ) : IAttack
{
    private readonly HonestScratch _scratch = new();

    public AttackHooks Hooks => AttackHooks.Contribution;

    /// <summary>
    /// Baruch et al.'s z_max: with s = ⌊N/2⌋ + 1 − f supporters needed for a majority, z = Φ⁻¹((N − f − s) / (N − f)),
    /// N the number of workers (attackers included) and f the number of attackers.
    /// </summary>
    public static double BaruchZ(int worldSize, int attackerCount)
    {
        var s = (worldSize / 2) + 1 - attackerCount;
        var p = (double)(worldSize - attackerCount - s) / (worldSize - attackerCount);
        if (!(p > 0.0 && p < 1.0))
        {
            throw new InvalidOperationException(
                $"ALIE's z from the Baruch formula is undefined for N={worldSize}, f={attackerCount} ((N-f-s)/(N-f) = {p}); set it explicitly, e.g. alie:z=1.5.");
        }

        return NormalDistribution.InverseCdf(p);
    }

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        var honest = context.HonestGradients;
        var z = fixedZ ?? BaruchZ(context.WorldSize, context.Attacker.AttackerCount);
        var mean = _scratch.Mean(gradient.Length);
        GradientMath.Mean(honest, mean);
        GradientMath.StandardDeviation(honest, mean, gradient); // σ straight into the output, then μ + zσ in place
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (float)(mean[i] + (z * gradient[i]));
        }

        return ContributionResult.Unchanged;
    }
}
