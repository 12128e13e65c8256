using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>A little is enough: send μ + z·σ, z from the Baruch formula unless given.</summary>
public sealed class AlieFactory : IAttackFactory
{
    public PluginDescriptor Descriptor { get; } = new()
    {
        Name = "alie",
        Kind = PluginKind.Attack,
        Description = "A little is enough: contributes mu + z*sigma (honest coordinate mean and unbiased std); z defaults to Baruch's z_max = PhiInv((N-f-s)/(N-f)), s = floor(N/2)+1-f.",
        Parameters = [PluginParameter.Double("z", null, "fixed z instead of the Baruch formula (ByzFL uses 1.5); negative values push below the mean")],
        RequiresHonestGradients = true,
        Reference = LiteratureReference.Baruch,
    };

    public IAttack Create(PluginParameters parameters) =>
        new AlieAttack(parameters.TryGetDouble("z", out var z) ? z : null);
}
