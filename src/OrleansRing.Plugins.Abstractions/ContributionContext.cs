namespace OrleansRing.Plugins.Abstractions;

/// <summary>Context of <see cref="IAttack.OnContribution"/>.</summary>
public readonly struct ContributionContext
{
    /// <param name="attacker">The worker this attack runs on.</param>
    /// <param name="iteration">Training iteration, from 0.</param>
    /// <param name="honestGradients">
    /// The honest workers' flattened contributions of this iteration (their gradients after the defence's contribution
    /// transform, if any), in ascending rank order, each the gradient's length.
    /// Supplied only to plugins whose descriptor sets <see cref="PluginDescriptor.RequiresHonestGradients"/>; empty otherwise.
    /// </param>
    public ContributionContext(AttackerIdentity attacker, long iteration, IReadOnlyList<ReadOnlyMemory<float>>? honestGradients = null)
    {
        ArgumentNullException.ThrowIfNull(attacker);
        Attacker = attacker;
        Iteration = iteration;
        HonestGradients = honestGradients ?? [];
    }

    public AttackerIdentity Attacker { get; }

    public long Iteration { get; }

    public IReadOnlyList<ReadOnlyMemory<float>> HonestGradients { get; }

    public int Rank => Attacker.Rank;

    public int WorldSize => Attacker.WorldSize;

    public AttackRandom Random => Attacker.Random;
}
