namespace OrleansRing.Data;

/// <summary>
/// Gamma(shape, 1) variates by Marsaglia and Tsang (2000), "A simple method for generating gamma
/// variables", drawn from a caller-seeded <see cref="Random"/> so Dirichlet partitions reproduce.
/// </summary>
internal sealed class GammaSampler(Random random)
{
    private double? _spareNormal;

    /// <summary>ln X for X ~ Gamma(<paramref name="shape"/>, 1).</summary>
    /// <remarks>
    /// Logarithms, because for small shapes X = Gamma(shape + 1) · U^(1/shape) underflows to 0 (at
    /// shape 0.01, U^100 does for most U), and a Dirichlet draw needs ratios of such values.
    /// </remarks>
    public double NextLog(double shape)
    {
        if (!(shape > 0) || !double.IsFinite(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "The Gamma shape must be positive and finite.");
        }
        if (shape < 1)
        {
            // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a) (Marsaglia and Tsang, section 6).
            return NextLog(shape + 1) + (Math.Log(NextOpenUnit()) / shape);
        }
        var d = shape - (1.0 / 3.0);
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextNormal();
                v = 1.0 + (c * x);
            }
            while (v <= 0);
            v = v * v * v;
            var u = NextOpenUnit();
            var x2 = x * x;
            // Squeeze first (cheap and almost always decisive), then the exact log test.
            if (u < 1.0 - (0.0331 * x2 * x2) || Math.Log(u) < (0.5 * x2) + (d * (1.0 - v + Math.Log(v))))
            {
                return Math.Log(d) + Math.Log(v);
            }
        }
    }

    public double Next(double shape) => Math.Exp(NextLog(shape));

    /// <summary>Uniform in (0, 1): never 0, so its logarithm is finite.</summary>
    private double NextOpenUnit()
    {
        double u;
        do
        {
            u = random.NextDouble();
        }
        while (u == 0);
        return u;
    }

    /// <summary>Standard normal by the Marsaglia polar method, which yields two per accepted pair.</summary>
    private double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }
        double x, y, s;
        do
        {
            x = (2.0 * random.NextDouble()) - 1.0;
            y = (2.0 * random.NextDouble()) - 1.0;
            s = (x * x) + (y * y);
        }
        while (s >= 1.0 || s == 0);
        var factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = y * factor;
        return x * factor;
    }
}
