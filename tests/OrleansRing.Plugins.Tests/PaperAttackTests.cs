using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

public sealed class PaperAttackTests
{
    [Fact]
    public void GradientFlipping_DefaultScope_NegatesOwnGradientOnly()
    {
        using var attack = Catalogs.Attack("gradient-flipping");
        var attacker = Ring.Attacker();
        float[] gradient = [1f, -2f, 0.5f, 3f];
        float[] chunk = [1f, 2f];

        attack.OnContribution(Ring.Contribution(attacker), gradient);
        attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), chunk);

        Assert.Equal(AttackHooks.Contribution, attack.Hooks);
        Assert.Equal([-1f, 2f, -0.5f, -3f], gradient);
        Assert.Equal([1f, 2f], chunk);
    }

    [Theory]
    [InlineData(TransmitPhase.ScatterReduce)]
    [InlineData(TransmitPhase.AllGather)]
    public void GradientFlipping_TransmittedScope_NegatesEverySentChunk(TransmitPhase phase)
    {
        using var attack = Catalogs.Attack("gradient-flipping:scope=transmitted");
        var attacker = Ring.Attacker();
        float[] gradient = [1f, 2f];
        float[] chunk = [4f, -5f];

        attack.OnContribution(Ring.Contribution(attacker), gradient);
        var delay = attack.OnTransmit(Ring.Transmit(attacker, phase), chunk);

        Assert.Equal(AttackHooks.Transmitted, attack.Hooks);
        Assert.Equal([1f, 2f], gradient);
        Assert.Equal([-4f, 5f], chunk);
        Assert.Equal(TimeSpan.Zero, delay);
    }

    [Fact]
    public void GradientAscent_Default_MultipliesByMinusFour()
    {
        using var attack = Catalogs.Attack("gradient-ascent");
        float[] gradient = [1f, -0.25f, 2f];

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal([-4f, 1f, -8f], gradient);
    }

    [Fact]
    public void GradientAscent_TransmittedWithScale_ScalesPartialSums()
    {
        using var attack = Catalogs.Attack("gradient-ascent:scale=2.5,scope=transmitted");
        float[] chunk = [2f, -4f];

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), chunk);

        Assert.Equal([5f, -10f], chunk);
    }

    [Fact]
    public void RandomValue_Default_ReplacesWithSeededGaussianTimesPointThree()
    {
        using var attack = Catalogs.Attack("random-value");
        var gradient = new float[64];
        Array.Fill(gradient, 7f);
        var expected = new float[64];
        AttackRandom.ForAttacker(Ring.Seed, rank: 2).FillGaussian(expected, 0.0, 0.3);

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 2)), gradient);

        Assert.Equal(expected, gradient);
        Assert.DoesNotContain(7f, gradient);
    }

    [Fact]
    public void RandomValue_OtherRank_DrawsOtherValues()
    {
        using var attack = Catalogs.Attack("random-value");
        var rank1 = new float[8];
        var rank2 = new float[8];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 1)), rank1);
        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 2)), rank2);

        Assert.NotEqual(rank1, rank2);
    }

    [Fact]
    public void SameValue_Default_SetsEveryValueTo100()
    {
        using var attack = Catalogs.Attack("same-value");
        float[] gradient = [1f, float.NaN, -3f];

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal([100f, 100f, 100f], gradient);
    }

    [Fact]
    public void SameValue_TransmittedWithValue_SetsEverySentValue()
    {
        using var attack = Catalogs.Attack("same-value:value=-1.5,scope=transmitted");
        float[] chunk = [1f, 2f];

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.AllGather), chunk);

        Assert.Equal([-1.5f, -1.5f], chunk);
    }

    [Fact]
    public void LabelFlipping_Batch_MapsYToNineMinusY()
    {
        using var attack = Catalogs.Attack("label-flipping");
        byte[] labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0, 3];
        float[] gradient = [1f];

        attack.OnLabels(Ring.Labels(Ring.Attacker()), labels);
        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal(AttackHooks.Labels, attack.Hooks);
        Assert.Equal([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 9, 6], labels);
        Assert.Equal([1f], gradient);
    }
}
