using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

internal sealed class GradientFlippingAttack(AttackScope scope) : ScopedVectorAttack(scope)
{
    protected override void Poison(Span<float> values, AttackRandom random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -values[i];
        }
    }
}
