namespace OrleansRing.Plugins.Abstractions;

/// <summary>Context of <see cref="IAttack.OnLabels"/>.</summary>
public readonly struct LabelContext
{
    /// <param name="attacker">The worker this attack runs on.</param>
    /// <param name="iteration">Training iteration, from 0.</param>
    /// <param name="classCount">Number of classes; labels lie in 0..classCount-1 (10 for CIFAR-10).</param>
    public LabelContext(AttackerIdentity attacker, long iteration, int classCount)
    {
        ArgumentNullException.ThrowIfNull(attacker);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        Attacker = attacker;
        Iteration = iteration;
        ClassCount = classCount;
    }

    public AttackerIdentity Attacker { get; }

    public long Iteration { get; }

    public int ClassCount { get; }

    public int Rank => Attacker.Rank;

    public int WorldSize => Attacker.WorldSize;

    public AttackRandom Random => Attacker.Random;
}
