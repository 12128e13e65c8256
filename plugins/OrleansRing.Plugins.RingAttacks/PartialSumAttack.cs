using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>
/// Rewrites the running partial sums this worker forwards during scatter-reduce: value ← factor·value + offset.
/// Zero (0, 0), scale (f, 0) and overwrite (0, c) are its three plugins. Each of the N−1 chunks it forwards carries the
/// contributions of its predecessors on that chunk, so one attacker erases or replaces all of them.
/// </summary>
internal sealed class PartialSumAttack(float factor, float offset) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Transmitted;

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        if (context.Phase != TransmitPhase.ScatterReduce)
        {
            return TransmitResult.Unchanged;
        }

        if (factor == 0f)
        {
            chunk.Fill(offset);
        }
        else
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (factor * chunk[i]) + offset;
            }
        }

        return TransmitResult.Unchanged;
    }
}
