using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Delays its sends without changing them: the ring runs at the speed of its slowest link.</summary>
internal sealed class StallAttack(TimeSpan delay, StallPhase phase) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Transmitted;

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        var applies = phase switch
        {
            StallPhase.ScatterReduce => context.Phase == TransmitPhase.ScatterReduce,
            StallPhase.AllGather => context.Phase == TransmitPhase.AllGather,
            _ => true,
        };

        // The worker waits, not the hook: sleeping here would hit the sandbox's time limit.
        return applies ? TransmitResult.Delayed(delay) : TransmitResult.Unchanged;
    }
}
