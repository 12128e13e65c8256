using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RobustReductions;

public sealed class MdaFactory : IDefenceFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "mda",
        Kind = PluginKind.Defence,
        Description = "Minimum-diameter averaging at the chunk owners: the mean of the n-f contributions whose largest pairwise whole-vector distance is smallest.",
        Parameters = ReductionSettings.Parameters,
        Reference = ReductionReference.Mda,
    };

    public IDefence Create(PluginParameters parameters) =>
        new RobustReduction("mda", new MdaRule(), ReductionSettings.From(parameters));
}
