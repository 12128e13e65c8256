using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

internal sealed class WrongLengthAttack(int delta) : IAttack
{
    private readonly float[] _replacement = new float[1024];

    public AttackHooks Hooks => AttackHooks.Contribution | AttackHooks.Transmitted;

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient) =>
        ContributionResult.Replace(_replacement.AsSpan(0, Math.Max(0, gradient.Length + delta)));

    public TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk) =>
        TransmitResult.Replace(_replacement.AsSpan(0, Math.Max(0, chunk.Length + delta)));
}
