using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

/// <summary>Contexts for a small ring, as the worker grain would build them.</summary>
internal static class Ring
{
    public const long Seed = 42;

    public static AttackerIdentity Attacker(int rank = 0, int worldSize = 4, params int[] attackerRanks) =>
        new(rank, worldSize, attackerRanks.Length == 0 ? [rank] : attackerRanks, AttackRandom.ForAttacker(Seed, rank));

    public static ContributionContext Contribution(AttackerIdentity attacker, params float[][] honest) =>
        new(attacker, iteration: 0, [.. honest.Select(h => (ReadOnlyMemory<float>)h)]);

    public static TransmitContext Transmit(AttackerIdentity attacker, TransmitPhase phase, int step = 0, int length = 4) =>
        new(attacker, iteration: 0, phase, step, chunkIndex: 0, chunkOffset: 0, totalLength: length);

    public static LabelContext Labels(AttackerIdentity attacker) => new(attacker, iteration: 0, classCount: 10);
}
