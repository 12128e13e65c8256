namespace OrleansRing.Data.Tests;

public sealed class GammaSamplerTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(50.0)]
    public void Next_ManyDraws_MatchGammaMeanAndVariance(double shape)
    {
        // Arrange: Gamma(k, 1) has mean k and variance k.
        var sampler = new GammaSampler(new Random(1));
        const int draws = 40_000;
        double sum = 0, squares = 0;

        // Act
        for (var i = 0; i < draws; i++)
        {
            var x = sampler.Next(shape);
            sum += x;
            squares += x * x;
        }

        // Assert: within about five standard errors of each moment.
        var mean = sum / draws;
        var variance = (squares / draws) - (mean * mean);
        Assert.InRange(mean, shape - (5 * Math.Sqrt(shape / draws)), shape + (5 * Math.Sqrt(shape / draws)));
        Assert.InRange(variance, shape * 0.85, shape * 1.15);
    }

    [Fact]
    public void NextLog_TinyShape_StaysFinite()
    {
        // Arrange: at shape 0.001 the variate itself underflows to 0 almost always; its log must not.
        var sampler = new GammaSampler(new Random(2));

        // Act and assert
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(double.IsFinite(sampler.NextLog(0.001)));
        }
    }

    [Fact]
    public void NextLog_SameSeed_SameSequence()
    {
        var first = new GammaSampler(new Random(3));
        var second = new GammaSampler(new Random(3));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(first.NextLog(0.3), second.NextLog(0.3));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    public void NextLog_BadShape_Throws(double shape)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GammaSampler(new Random(4)).NextLog(shape));
    }
}
