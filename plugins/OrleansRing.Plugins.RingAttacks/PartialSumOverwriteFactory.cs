using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Forward a constant instead of the running partial sum.</summary>
public sealed class PartialSumOverwriteFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "partial-sum-overwrite",
        Kind = PluginKind.Attack,
        Description = "During scatter-reduce, overwrites every value of the running partial sum it forwards with the constant value.",
        Parameters = [PluginParameter.Double("value", 100.0, "the constant forwarded in every coordinate (100 as the paper's same value)")],
        Reference = RingReference.InTransit,
    };

    public IAttack Create(PluginParameters parameters) => new PartialSumAttack(factor: 0f, offset: (float)parameters.GetDouble("value"));
}
