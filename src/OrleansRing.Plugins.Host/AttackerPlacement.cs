using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>Which ranks of the ring are malicious: a count placed by a seed, or explicit ranks.</summary>
public static class AttackerPlacement
{
    // Keeps placement draws apart from the attackers' own AttackRandom streams for the same seed.
    private const ulong PlacementStream = 0x504C414345UL;

    /// <summary>
    /// <paramref name="count"/> distinct ranks drawn uniformly from 0..N-1 by <paramref name="seed"/>, ascending. The same
    /// (N, count, seed) always gives the same ranks, and the ranks for a count are a prefix-stable draw: a partial
    /// Fisher-Yates shuffle, so count k+1 adds one rank to the ranks of count k.
    /// </summary>
    public static IReadOnlyList<int> Resolve(int worldSize, int count, long seed)
    {
        CheckWorldSize(worldSize);
        if (count < 0 || count >= worldSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count),
                count,
                $"The number of attackers must be in 0..{worldSize - 1} for {worldSize} workers: at least one worker must be honest.");
        }

        var random = new AttackRandom(unchecked((ulong)seed), PlacementStream);
        var ranks = Enumerable.Range(0, worldSize).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, worldSize);
            (ranks[i], ranks[j]) = (ranks[j], ranks[i]);
        }

        return [.. ranks.Take(count).Order()];
    }

    /// <summary>Explicit ranks, checked: each in 0..N-1, no duplicates, at least one honest worker left. Returned ascending.</summary>
    public static IReadOnlyList<int> Explicit(int worldSize, IEnumerable<int> ranks)
    {
        CheckWorldSize(worldSize);
        ArgumentNullException.ThrowIfNull(ranks);
        var list = ranks.ToList();
        var outOfRange = list.Where(r => r < 0 || r >= worldSize).ToList();
        if (outOfRange.Count > 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ranks),
                $"Attacker rank(s) {string.Join(',', outOfRange)} are outside 0..{worldSize - 1} for {worldSize} workers.");
        }

        var duplicates = list.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Attacker rank(s) {string.Join(',', duplicates)} are listed more than once.", nameof(ranks));
        }

        if (list.Count >= worldSize)
        {
            throw new ArgumentException($"All {worldSize} workers would be attackers; at least one must be honest.", nameof(ranks));
        }

        return [.. list.Order()];
    }

    /// <summary>The honest ranks, ascending: the order in which the worker passes honest gradients to omniscient attacks.</summary>
    public static IReadOnlyList<int> HonestRanks(int worldSize, IReadOnlyList<int> attackerRanks)
    {
        CheckWorldSize(worldSize);
        ArgumentNullException.ThrowIfNull(attackerRanks);
        var attackers = attackerRanks.ToHashSet();
        return [.. Enumerable.Range(0, worldSize).Where(r => !attackers.Contains(r))];
    }

    private static void CheckWorldSize(int worldSize) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
}
