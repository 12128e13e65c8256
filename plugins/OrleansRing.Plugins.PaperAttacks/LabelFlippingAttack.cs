using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.PaperAttacks;

internal sealed class LabelFlippingAttack : IAttack
{
    public AttackHooks Hooks => AttackHooks.Labels;

    public void OnLabels(in LabelContext context, Span<byte> labels)
    {
        var last = context.ClassCount - 1;
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)(last - labels[i]);
        }
    }
}
