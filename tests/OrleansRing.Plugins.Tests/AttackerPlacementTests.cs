using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class AttackerPlacementTests
{
    [Fact]
    public void Resolve_SameInputs_SameSortedDistinctRanks()
    {
        var first = AttackerPlacement.Resolve(worldSize: 16, count: 5, seed: 1);
        var second = AttackerPlacement.Resolve(worldSize: 16, count: 5, seed: 1);

        Assert.Equal(first, second);
        Assert.Equal(5, first.Distinct().Count());
        Assert.Equal(first.Order(), first);
        Assert.All(first, r => Assert.InRange(r, 0, 15));
    }

    [Fact]
    public void Resolve_OneMoreAttacker_KeepsThePreviousOnes()
    {
        var three = AttackerPlacement.Resolve(16, 3, seed: 4);
        var four = AttackerPlacement.Resolve(16, 4, seed: 4);

        Assert.Subset(four.ToHashSet(), three.ToHashSet());
    }

    [Fact]
    public void Resolve_Seeds_SpreadOverRanks()
    {
        var placements = Enumerable.Range(0, 50).Select(seed => AttackerPlacement.Resolve(8, 1, seed)[0]).Distinct().Count();

        Assert.True(placements > 4, $"only {placements} distinct ranks over 50 seeds");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void Resolve_CountOutOfRange_SaysValidRange(int count)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AttackerPlacement.Resolve(8, count, seed: 0));

        Assert.Contains("0..7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_ValidRanks_AreSorted()
    {
        Assert.Equal([1, 5], AttackerPlacement.Explicit(8, [5, 1]));
    }

    [Theory]
    [InlineData(new[] { 8 }, "outside 0..7")]
    [InlineData(new[] { -1, 2 }, "outside 0..7")]
    [InlineData(new[] { 2, 2 }, "more than once")]
    [InlineData(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, "at least one must be honest")]
    public void Explicit_InvalidRanks_SayWhy(int[] ranks, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => AttackerPlacement.Explicit(8, ranks));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HonestRanks_AreTheComplementInRankOrder()
    {
        Assert.Equal([0, 2, 3, 5], AttackerPlacement.HonestRanks(6, [4, 1]));
    }

    [Fact]
    public void AttackerIdentity_RankMustBeAnAttacker()
    {
        Assert.Throws<ArgumentException>(() => new AttackerIdentity(0, 4, [1, 2], AttackRandom.ForAttacker(0, 0)));

        var identity = new AttackerIdentity(2, 4, [2, 1], AttackRandom.ForAttacker(0, 2));
        Assert.Equal([1, 2], identity.AttackerRanks);
        Assert.Equal(2, identity.HonestCount);
        Assert.Equal(3, identity.Successor);
        Assert.True(identity.IsAttacker(1));
    }
}
