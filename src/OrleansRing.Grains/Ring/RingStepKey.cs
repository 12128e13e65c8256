using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Ring;

/// <summary>Identifies one receive of one worker: at most one chunk per (iteration, phase, step) is ever applied.</summary>
internal readonly record struct RingStepKey(long Iteration, RingPhase Phase, int Step)
{
    public static RingStepKey Of(ChunkMessage message) => new(message.Iteration, message.Phase, message.Step);

    public override string ToString() => $"iteration {Iteration} {Phase} step {Step}";
}
