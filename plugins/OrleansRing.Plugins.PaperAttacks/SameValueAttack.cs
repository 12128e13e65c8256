using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

internal sealed class SameValueAttack(float value, AttackScope scope) : ScopedVectorAttack(scope)
{
    protected override void Poison(Span<float> values, AttackRandom random) => values.Fill(value);
}
