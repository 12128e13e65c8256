using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

public sealed class SignVoteFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "sign-vote",
        Kind = PluginKind.Defence,
        Description = "signSGD majority vote / BRACE: workers contribute sign(g), scatter-reduce sums the votes, every replica steps scale*sign(votes) where |votes| > threshold.",
        Parameters =
        [
            PluginParameter.Double("scale", 0.002, "magnitude of every coordinate of the update (the gradient the optimizer sees)", 1e-12),
            PluginParameter.Int("threshold", 0, "votes a coordinate needs beyond a tie (|sum of signs| > threshold); 0 is the plain majority", 0, 1023),
            PluginParameter.Bool("exclude", true, "flag ask the coordinator to exclude a worker forwarding impossible vote counts"),
        ],
        Reference = RingDefenceReference.SignVote,
    };

    public IDefence Create(PluginParameters parameters) =>
        new SignVote(parameters.GetDouble("scale"), parameters.GetInt("threshold"), parameters.GetBool("exclude"));
}
