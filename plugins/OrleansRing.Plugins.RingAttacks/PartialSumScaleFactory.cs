using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Forward factor × the running partial sum.</summary>
public sealed class PartialSumScaleFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "partial-sum-scale",
        Kind = PluginKind.Attack,
        Description = "During scatter-reduce, multiplies the running partial sum it forwards by factor (default -1: the accumulated sum is flipped).",
        Parameters = [PluginParameter.Double("factor", -1.0, "multiplier of the forwarded partial sum")],
        Reference = RingReference.InTransit,
    };

    public IAttack Create(PluginParameters parameters)
    {
        var factor = (float)parameters.GetDouble("factor");
        if (factor == 0f)
        {
            throw new ArgumentException("factor=0 is partial-sum-zero; use that plugin.", nameof(parameters));
        }

        return new PartialSumAttack(factor, offset: 0f);
    }
}
