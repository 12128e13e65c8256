using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Forward zeros instead of the running partial sum.</summary>
public sealed class PartialSumZeroFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "partial-sum-zero",
        Kind = PluginKind.Attack,
        Description = "During scatter-reduce, forwards zeros instead of the running partial sum, erasing its predecessors' (and its own) contributions to every chunk it forwards.",
        Reference = RingReference.InTransit,
    };

    public IAttack Create(PluginParameters parameters) => new PartialSumAttack(factor: 0f, offset: 0f);
}
