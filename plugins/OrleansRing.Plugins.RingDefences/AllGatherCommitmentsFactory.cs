using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

public sealed class AllGatherCommitmentsFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "allgather-commitments",
        Kind = PluginKind.Defence,
        Description = "Chunk owners publish the hash of each reduced chunk to every worker; allgather receivers verify what their predecessor forwards, repair from the owner and name the forger.",
        Parameters = [PluginParameter.Bool("exclude", true, "a forger is excluded from the ring from the next iteration on")],
        Reference = RingDefenceReference.OrleansRing,
    };

    public IDefence Create(PluginParameters parameters) => new AllGatherCommitments(parameters.GetBool("exclude"));
}
