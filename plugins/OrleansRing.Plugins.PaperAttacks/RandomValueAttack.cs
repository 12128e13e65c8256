using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

internal sealed class RandomValueAttack(double scale, AttackScope scope) : ScopedVectorAttack(scope)
{
    protected override void Poison(Span<float> values, AttackRandom random) =>
        random.FillGaussian(values, mean: 0.0, standardDeviation: scale);
}
