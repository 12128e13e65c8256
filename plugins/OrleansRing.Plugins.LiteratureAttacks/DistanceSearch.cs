using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.LiteratureAttacks;

/// <summary>
/// The AGR-agnostic attacks of Shejwalkar and Houmansadr: send μ − γ·dev with the largest γ whose malicious vector
/// still looks like an honest one, found by their halving search (start γ₀, stop when successive γ differ by ≤ tol).
/// Distances are squared, as in their code; Min-Max then compares the farthest honest distance with the largest
/// honest pairwise distance, Min-Sum the sum of distances with the largest honest sum.
/// </summary>
internal sealed class DistanceSearch(bool minSum, DeviationKind deviation, double gammaInit, double tolerance) : IAttack
{
    // Hard stop for the halving loop; it converges in about log2(γ₀ / tol) ≈ 20 rounds for the defaults.
    private const int MaxRounds = 200;

    private readonly HonestScratch _scratch = new();
    private double[] _offsets = []; // ‖μ − xᵢ‖²
    private double[] _dots = [];    // ⟨μ − xᵢ, dev⟩

    public AttackHooks Hooks => AttackHooks.Contribution;

    /// <summary>The γ the last call settled on (for tests and logs).</summary>
    public double LastGamma { get; private set; }

    public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
    {
        var honest = context.HonestGradients;
        var n = honest.Count;
        var length = gradient.Length;
        var mean = _scratch.Mean(length);
        var dev = _scratch.Deviation(length);
        GradientMath.Mean(honest, mean);
        FillDeviation(honest, mean, dev);

        if (_offsets.Length < n)
        {
            _offsets = new double[n];
            _dots = new double[n];
        }

        // ‖μ − γ·dev − xᵢ‖² = aᵢ − 2γ·bᵢ + γ²·c: one pass over the data, then each γ costs O(n).
        for (var i = 0; i < n; i++)
        {
            var x = honest[i].Span;
            double a = 0, b = 0;
            for (var j = 0; j < length; j++)
            {
                var d = (double)mean[j] - x[j];
                a += d * d;
                b += d * dev[j];
            }

            _offsets[i] = a;
            _dots[i] = b;
        }

        var c = GradientMath.SquaredNorm(dev);
        var threshold = HonestThreshold(honest);

        var gamma = gammaInit;
        var step = gammaInit;
        var success = 0.0;
        for (var round = 0; round < MaxRounds && Math.Abs(success - gamma) > tolerance; round++)
        {
            if (Score(gamma, n, c) <= threshold)
            {
                success = gamma;
                gamma += step / 2;
            }
            else
            {
                gamma -= step / 2;
            }

            step /= 2;
        }

        LastGamma = success;
        for (var j = 0; j < length; j++)
        {
            gradient[j] = (float)(mean[j] - (success * dev[j]));
        }

        return ContributionResult.Unchanged;
    }

    private double Score(double gamma, int n, double c)
    {
        var result = 0.0;
        for (var i = 0; i < n; i++)
        {
            var distance = _offsets[i] - (2 * gamma * _dots[i]) + (gamma * gamma * c);
            result = minSum ? result + distance : Math.Max(result, distance);
        }

        return result;
    }

    // Min-Max: max over pairs of ‖xᵢ − xⱼ‖²; Min-Sum: max over i of Σⱼ ‖xᵢ − xⱼ‖².
    private double HonestThreshold(IReadOnlyList<ReadOnlyMemory<float>> honest)
    {
        var n = honest.Count;
        Span<double> sums = n <= 64 ? stackalloc double[n] : new double[n];
        sums.Clear();
        var max = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var k = i + 1; k < n; k++)
            {
                var distance = GradientMath.SquaredDistance(honest[i].Span, honest[k].Span);
                sums[i] += distance;
                sums[k] += distance;
                max = Math.Max(max, distance);
            }
        }

        if (!minSum)
        {
            return max;
        }

        var maxSum = 0.0;
        foreach (var sum in sums)
        {
            maxSum = Math.Max(maxSum, sum);
        }

        return maxSum;
    }

    private void FillDeviation(IReadOnlyList<ReadOnlyMemory<float>> honest, ReadOnlySpan<float> mean, Span<float> dev)
    {
        switch (deviation)
        {
            case DeviationKind.UnitVector:
            {
                var norm = Math.Sqrt(GradientMath.SquaredNorm(mean));
                for (var j = 0; j < dev.Length; j++)
                {
                    dev[j] = norm > 0 ? (float)(mean[j] / norm) : 0f;
                }

                break;
            }

            case DeviationKind.Std:
                GradientMath.StandardDeviation(honest, mean, dev);
                break;
            case DeviationKind.Sign:
                for (var j = 0; j < dev.Length; j++)
                {
                    dev[j] = MathF.Sign(mean[j]);
                }

                break;
        }
    }
}
