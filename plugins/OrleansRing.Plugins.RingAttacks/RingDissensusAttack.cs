using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>
/// Forges the finished chunks this worker forwards in allgather: c ← (1 − ε)·c + N(0, noise²). Receivers overwrite
/// their copy with what it sends, while the ranks upstream of it keep the true chunk, so replicas stop agreeing and
/// drift apart as training goes on.
/// </summary>
internal sealed class RingDissensusAttack(double epsilon, double noiseStd) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Transmitted;

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        if (context.Phase != TransmitPhase.AllGather)
        {
            return TransmitResult.Unchanged;
        }

        var keep = 1.0 - epsilon;
        if (noiseStd == 0.0)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (float)(keep * chunk[i]);
            }
        }
        else
        {
            var random = context.Random;
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (float)((keep * chunk[i]) + (noiseStd * random.NextGaussian()));
            }
        }

        return TransmitResult.Unchanged;
    }
}
