using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

internal sealed class GradientAscentAttack(float scale, AttackScope scope) : ScopedVectorAttack(scope)
{
    protected override void Poison(Span<float> values, AttackRandom random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }
}
