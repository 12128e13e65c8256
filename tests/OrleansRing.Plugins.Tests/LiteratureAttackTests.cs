using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class LiteratureAttackTests
{
    // Φ⁻¹ reference values (AS241 in CPython's statistics.NormalDist.inv_cdf).
    private const double InverseCdfOfOneThird = -0.43072729929545744;
    private const double InverseCdfOfThreeSevenths = -0.1800123697927051;

    [Fact]
    public void GaussianNoise_Default_ReplacesWithSeededStandardNormal()
    {
        using var attack = Catalogs.Attack("gaussian-noise");
        var gradient = new float[16];
        var expected = new float[16];
        AttackRandom.ForAttacker(Ring.Seed, rank: 0).FillGaussian(expected, 0.0, 1.0);

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void GaussianNoise_AddMode_AddsNoiseToValues()
    {
        using var attack = Catalogs.Attack("gaussian-noise:mode=add,mean=0.5,std=2");
        float[] gradient = [1f, 2f, 3f];
        var random = AttackRandom.ForAttacker(Ring.Seed, rank: 0);
        var expected = gradient.Select(v => (float)(v + random.NextGaussian(0.5, 2.0))).ToArray();

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void SignFlippingMean_SendsNegatedHonestMean()
    {
        using var attack = Catalogs.Attack("sign-flipping-mean");
        var gradient = new float[3];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 2, worldSize: 3), [1f, 2f, -3f], [3f, 6f, 1f]), gradient);

        Assert.True(attack.RequiresHonestGradients);
        Assert.Equal([-2f, -4f, 1f], gradient);
    }

    [Fact]
    public void Ipm_Default_SendsMinusPointOneTimesMean()
    {
        using var attack = Catalogs.Attack("ipm");
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 2, worldSize: 3), [1f, 2f], [3f, 6f]), gradient);

        Assert.Equal([-0.2f, -0.4f], gradient);
    }

    [Fact]
    public void Ipm_Epsilon_SendsMinusEpsilonTimesMean()
    {
        using var attack = Catalogs.Attack("ipm:epsilon=2");
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 2, worldSize: 3), [1f, 2f], [3f, 6f]), gradient);

        Assert.Equal([-4f, -8f], gradient);
    }

    [Fact]
    public void Alie_BaruchZ_FourWorkersOneAttacker_UsesPhiInverseOfOneThird()
    {
        // N = 4, f = 1: s = 4/2 + 1 - 1 = 2, z = Φ⁻¹((4 - 1 - 2) / (4 - 1)) = Φ⁻¹(1/3).
        // Honest: μ = (2, 3), unbiased σ = (1, √3).
        using var attack = Catalogs.Attack("alie");
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 3, worldSize: 4), [1f, 2f], [3f, 2f], [2f, 5f]), gradient);

        Assert.Equal((float)(2.0 + InverseCdfOfOneThird), gradient[0]);
        Assert.Equal((float)(3.0 + (InverseCdfOfOneThird * (float)Math.Sqrt(3.0))), gradient[1]);
    }

    [Fact]
    public void Alie_BaruchZ_EightWorkersOneAttacker_UsesPhiInverseOfThreeSevenths()
    {
        // N = 8, f = 1: s = 4, z = Φ⁻¹(3/7). Honest values 0..6: μ = 3, unbiased σ = √(28/6).
        using var attack = Catalogs.Attack("alie");
        var honest = Enumerable.Range(0, 7).Select(v => new[] { (float)v }).ToArray();
        var gradient = new float[1];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 7, worldSize: 8), honest), gradient);

        Assert.Equal((float)(3.0 + (InverseCdfOfThreeSevenths * (float)Math.Sqrt(28.0 / 6.0))), gradient[0]);
    }

    [Fact]
    public void Alie_FixedZ_SendsMeanPlusZSigma()
    {
        using var attack = Catalogs.Attack("alie:z=1.5");
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 3, worldSize: 4), [1f, 2f], [3f, 2f], [2f, 5f]), gradient);

        Assert.Equal(3.5f, gradient[0]);
        Assert.Equal((float)(3.0 + (1.5 * (float)Math.Sqrt(3.0))), gradient[1]);
    }

    [Fact]
    public void Alie_BaruchZUndefined_FailsAndSaysToSetZ()
    {
        // N = 2, f = 1: (N - f - s) / (N - f) = 0, so Φ⁻¹ is -∞.
        using var attack = Catalogs.Attack("alie");

        var failure = Assert.Throws<PluginFailureException>(
            () => attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 1, worldSize: 2), [1f]), new float[1]));

        Assert.Equal(PluginFailureReason.Threw, failure.Reason);
        Assert.Contains("alie:z=", failure.Message, StringComparison.Ordinal);
    }

    // Honest (0,0), (0,0), (3,0): μ = (1,0), unit deviation (1,0), malicious (1 - γ, 0).
    // Min-Max: max_i ‖mal - xᵢ‖² = (2 + γ)² ≤ max pairwise 9  ⇒ γ* = 1, mal = (0, 0).
    // Min-Sum: 2(1 - γ)² + (2 + γ)² = 6 + 3γ² ≤ max honest sum 18 ⇒ γ* = 2, mal = (-1, 0).
    [Theory]
    [InlineData("min-max", 1.0)]
    [InlineData("min-sum", 2.0)]
    [InlineData("min-max:deviation=unit-vector,gamma-init=10,tolerance=0.00001", 1.0)]
    public void MinMaxMinSum_HandCheckedCase_FindsLargestFeasibleGamma(string selection, double expectedGamma)
    {
        using var attack = Catalogs.Attack(selection);
        float[][] honest = [[0f, 0f], [0f, 0f], [3f, 0f]];
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 3, worldSize: 4), honest), gradient);

        var gamma = 1.0 - gradient[0];
        Assert.InRange(gamma, expectedGamma - 2e-5, expectedGamma);
        Assert.Equal(0f, gradient[1]);
        var distances = honest.Select(h => GradientMath.SquaredDistance(gradient, h)).ToArray();
        var limit = selection.StartsWith("min-max", StringComparison.Ordinal) ? distances.Max() : distances.Sum();
        Assert.True(limit <= (expectedGamma == 1.0 ? 9.0 : 18.0) + 1e-9, $"constraint broken: {limit}");
    }

    [Fact]
    public void MinMax_StdDeviation_MovesAlongSigma()
    {
        // σ = (√3, 0): mal = (1 - γ√3, 0); (2 + γ√3)² ≤ 9 ⇒ γ√3 = 1, mal = (0, 0).
        using var attack = Catalogs.Attack("min-max:deviation=std");
        var gradient = new float[2];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 3, worldSize: 4), [0f, 0f], [0f, 0f], [3f, 0f]), gradient);

        Assert.InRange(gradient[0], 0f, 1e-4f);
        Assert.Equal(0f, gradient[1]);
    }

    [Fact]
    public void Mimic_Target_CopiesThatHonestGradient()
    {
        using var attack = Catalogs.Attack("mimic:target=1");
        var gradient = new float[3];

        attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 0, worldSize: 3), [1f, 2f, 3f], [4f, 5f, 6f]), gradient);

        Assert.Equal([4f, 5f, 6f], gradient);
    }

    [Fact]
    public void Mimic_TargetBeyondHonestWorkers_FailsNamingTheCount()
    {
        using var attack = Catalogs.Attack("mimic:target=5");

        var failure = Assert.Throws<PluginFailureException>(
            () => attack.OnContribution(Ring.Contribution(Ring.Attacker(rank: 0, worldSize: 3), [1f], [2f]), new float[1]));

        Assert.Contains("only 2 honest workers", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inf_SendsPositiveInfinity()
    {
        using var attack = Catalogs.Attack("inf");
        float[] gradient = [1f, 2f];

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.All(gradient, v => Assert.Equal(float.PositiveInfinity, v));
    }

    [Fact]
    public void NaN_TransmittedScope_SendsNaNInEveryChunk()
    {
        using var attack = Catalogs.Attack("nan:scope=transmitted");
        float[] chunk = [1f, 2f];

        attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), chunk);

        Assert.All(chunk, v => Assert.True(float.IsNaN(v)));
    }
}
