using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.AttackTemplate;

/// <summary>
/// The attack itself: one instance per malicious worker, called synchronously on the ring's hot path. Keep scratch
/// memory in fields (no allocation per call) and never block: ask for a delay through TransmitResult.Delayed instead.
/// </summary>
internal sealed class ExampleAttack(float factor, AttackScope scope) : IAttack
{
    // Only these hooks are called; the worker skips the rest.
    public AttackHooks Hooks => scope == AttackScope.Contribution ? AttackHooks.Contribution : AttackHooks.Transmitted;

    // Own gradient, once per iteration, before the ring. Edit in place (or return ContributionResult.Replace(...)).
    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        Scale(gradient);
        return ContributionResult.Unchanged;
    }

    // Every chunk this worker sends; context.Phase, Step, ChunkIndex and ChunkOffset say which.
    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        Scale(chunk);
        return TransmitResult.Unchanged;
    }

    // OnLabels (labels of each batch, before the forward pass) keeps its default no-op implementation here.
    private void Scale(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }
}
