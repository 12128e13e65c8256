using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.FaultyPlugins;

internal sealed class BadLabelAttack : IAttack
{
    public AttackHooks Hooks => AttackHooks.Labels;

    public void OnLabels(in LabelContext context, Span<byte> labels) => labels[^1] = (byte)context.ClassCount;
}
