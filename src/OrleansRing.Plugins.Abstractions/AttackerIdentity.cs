namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Who a malicious worker is in the ring, fixed for a run: created once per attacker by the worker and carried by
/// every hook context, so contexts stay small structs.
/// </summary>
public sealed class AttackerIdentity
{
    private readonly int[] _attackerRanks;

    /// <param name="rank">This worker's rank, 0..<paramref name="worldSize"/>-1.</param>
    /// <param name="worldSize">N, the number of workers in the ring.</param>
    /// <param name="attackerRanks">All malicious ranks (colluders), including <paramref name="rank"/>.</param>
    /// <param name="random">Deterministic per (experiment seed, rank): see <see cref="AttackRandom.ForAttacker"/>.</param>
    public AttackerIdentity(int rank, int worldSize, IEnumerable<int> attackerRanks, AttackRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        ArgumentNullException.ThrowIfNull(attackerRanks);
        ArgumentNullException.ThrowIfNull(random);

        var ranks = attackerRanks.Distinct().Order().ToArray();
        if (ranks.Any(r => r < 0 || r >= worldSize))
        {
            throw new ArgumentOutOfRangeException(nameof(attackerRanks), $"Attacker ranks must lie in 0..{worldSize - 1}.");
        }

        if (Array.BinarySearch(ranks, rank) < 0)
        {
            throw new ArgumentException($"Rank {rank} is not among the attacker ranks {string.Join(',', ranks)}.", nameof(attackerRanks));
        }

        Rank = rank;
        WorldSize = worldSize;
        _attackerRanks = ranks;
        Random = random;
    }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>Ascending.</summary>
    public IReadOnlyList<int> AttackerRanks => _attackerRanks;

    /// <summary>f, the number of malicious workers.</summary>
    public int AttackerCount => _attackerRanks.Length;

    /// <summary>N - f.</summary>
    public int HonestCount => WorldSize - _attackerRanks.Length;

    public AttackRandom Random { get; }

    public bool IsAttacker(int rank) => Array.BinarySearch(_attackerRanks, rank) >= 0;

    public int Successor => (Rank + 1) % WorldSize;

    public int Predecessor => (Rank - 1 + WorldSize) % WorldSize;
}
