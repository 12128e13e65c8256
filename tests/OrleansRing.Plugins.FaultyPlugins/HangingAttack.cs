using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

internal sealed class HangingAttack(TimeSpan hang) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Transmitted;

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        // Blocks (a bounded "hang", so the abandoned thread ends after the test run), then scribbles on the chunk to
        // show that a late hook cannot reach the caller's buffer.
        Thread.Sleep(hang);
        chunk.Fill(-1f);
        return default;
    }
}
