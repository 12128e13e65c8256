using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingAttacks;

/// <summary>Ring dissensus: forge allgather chunks so downstream replicas diverge.</summary>
public sealed class RingDissensusFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "ring-dissensus",
        Kind = PluginKind.Attack,
        Description = "During allgather, forwards (1-epsilon)*chunk + N(0, noise-std^2) instead of the finished chunk, so replicas downstream of it apply a different update than those upstream (epsilon 1.5: a reversed half-size update).",
        Parameters =
        [
            PluginParameter.Double("epsilon", 1.5, "how much of the chunk to take away (1: send zeros, >1: reverse it); 1.5 as in the dissensus experiments"),
            PluginParameter.Double("noise-std", 0.0, "standard deviation of Gaussian noise added to every forwarded value", minimum: 0.0),
        ],
        Reference = RingReference.Dissensus,
    };

    public IAttack Create(PluginParameters parameters) =>
        new RingDissensusAttack(parameters.GetDouble("epsilon"), parameters.GetDouble("noise-std"));
}
