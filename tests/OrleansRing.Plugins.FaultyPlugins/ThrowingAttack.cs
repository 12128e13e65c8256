using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

internal sealed class ThrowingAttack(FaultyHook hook) : IAttack
{
    public AttackHooks Hooks => AttackHooks.Labels | AttackHooks.Contribution | AttackHooks.Transmitted;

    public void OnLabels(in LabelContext context, Span<byte> labels) => ThrowIf(FaultyHook.Labels);

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        ThrowIf(FaultyHook.Contribution);
        return default;
    }

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk)
    {
        ThrowIf(FaultyHook.Transmitted);
        return default;
    }

    private void ThrowIf(FaultyHook current)
    {
        if (current == hook)
        {
            throw new InvalidOperationException($"deliberate failure in {current}");
        }
    }
}
