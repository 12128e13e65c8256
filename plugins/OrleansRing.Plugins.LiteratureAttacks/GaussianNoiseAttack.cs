using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

internal sealed class GaussianNoiseAttack(double mean, double standardDeviation, NoiseMode mode, AttackScope scope) : ScopedVectorAttack(scope)
{
    protected override void Poison(Span<float> values, AttackRandom random)
    {
        if (mode == NoiseMode.Replace)
        {
            random.FillGaussian(values, mean, standardDeviation);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] + random.NextGaussian(mean, standardDeviation));
        }
    }
}
