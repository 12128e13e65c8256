using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class RingAttackTests
{
    [Fact]
    public void PartialSumZero_ZeroesScatterReduceChunksOnly()
    {
        using var attack = Catalogs.Attack("partial-sum-zero");
        var attacker = Ring.Attacker();
        float[] partialSum = [3f, -1f];
        float[] finished = [3f, -1f];

        attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce, step: 1), partialSum);
        attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.AllGather), finished);

        Assert.Equal([0f, 0f], partialSum);
        Assert.Equal([3f, -1f], finished);
    }

    [Fact]
    public void PartialSumScale_Default_FlipsTheForwardedSum()
    {
        using var attack = Catalogs.Attack("partial-sum-scale");
        float[] partialSum = [3f, -1f];

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), partialSum);

        Assert.Equal([-3f, 1f], partialSum);
    }

    [Fact]
    public void PartialSumScale_FactorZero_IsRejectedAsConfiguration()
    {
        var error = Assert.Throws<PluginSelectionException>(() => Catalogs.Attack("partial-sum-scale:factor=0"));

        Assert.Contains("partial-sum-zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialSumOverwrite_Default_Forwards100()
    {
        using var attack = Catalogs.Attack("partial-sum-overwrite");
        float[] partialSum = [3f, -1f, 0f];

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), partialSum);

        Assert.Equal([100f, 100f, 100f], partialSum);
    }

    [Fact]
    public void RingDissensus_Default_ForwardsMinusHalfOfFinishedChunks()
    {
        using var attack = Catalogs.Attack("ring-dissensus");
        var attacker = Ring.Attacker();
        float[] partialSum = [2f, -4f];
        float[] finished = [2f, -4f];

        attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), partialSum);
        attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.AllGather, step: 2), finished);

        Assert.Equal([2f, -4f], partialSum);
        Assert.Equal([-1f, 2f], finished);
    }

    [Fact]
    public void RingDissensus_Noise_AddsSeededGaussian()
    {
        using var attack = Catalogs.Attack("ring-dissensus:epsilon=0,noise-std=0.5");
        float[] finished = [1f, 1f, 1f];
        var random = AttackRandom.ForAttacker(Ring.Seed, rank: 0);
        var expected = finished.Select(v => (float)(v + (0.5 * random.NextGaussian()))).ToArray();

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.AllGather), finished);

        Assert.Equal(expected, finished);
    }

    [Fact]
    public void Stall_Default_DelaysEverySendBySecondAndKeepsValues()
    {
        using var attack = Catalogs.Attack("stall");
        var attacker = Ring.Attacker();
        float[] chunk = [1f, 2f];

        var first = attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), chunk);
        var second = attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.AllGather), chunk);

        Assert.Equal(TimeSpan.FromSeconds(1), first);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
        Assert.Equal([1f, 2f], chunk);
    }

    [Fact]
    public void Stall_AllGatherPhase_DelaysOnlyAllGatherSends()
    {
        using var attack = Catalogs.Attack("stall:delay-ms=250,phase=all-gather");
        var attacker = Ring.Attacker();

        var scatter = attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), new float[2]);
        var gather = attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.AllGather), new float[2]);

        Assert.Equal(TimeSpan.Zero, scatter);
        Assert.Equal(TimeSpan.FromMilliseconds(250), gather);
    }
}
