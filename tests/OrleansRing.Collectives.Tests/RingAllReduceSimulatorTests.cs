using OrleansRing.Collectives;

namespace OrleansRing.Collectives.Tests;

public sealed class RingAllReduceSimulatorTests
{
    public static TheoryData<int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int>();
        var seed = 0;
        foreach (var n in Enumerable.Range(1, 16))
        {
            foreach (var length in new[] { 1, n - 1, n, n + 1, 3 * n + 2, 257, 4099 }.Where(l => l >= 1).Distinct())
            {
                data.Add(n, length, seed++);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScatterReduce_OwnerHoldsRingOrderSum_Exactly(int n, int length, int seed)
    {
        var gradients = RandomGradients(n, length, seed);
        var workers = gradients.Select(g => (float[])g.Clone()).ToArray();
        var layout = new ChunkLayout(length, n);

        RingAllReduceSimulator.ScatterReduce(workers);

        for (var chunk = 0; chunk < n; chunk++)
        {
            var owner = RingSchedule.OwnerOf(chunk, n);
            var expected = RingOrderSum(gradients, layout, chunk);
            Assert.Equal(expected, layout.Slice(workers[owner].AsSpan(), chunk).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllReduce_EveryWorkerHoldsTheSameMean(int n, int length, int seed)
    {
        var gradients = RandomGradients(n, length, seed);
        var workers = gradients.Select(g => (float[])g.Clone()).ToArray();
        var layout = new ChunkLayout(length, n);

        RingAllReduceSimulator.AllReduceMean(workers);

        var expected = new float[length];
        for (var chunk = 0; chunk < n; chunk++)
        {
            var sum = RingOrderSum(gradients, layout, chunk);
            for (var i = 0; i < sum.Length; i++)
            {
                expected[layout.Offset(chunk) + i] = sum[i] / n;
            }
        }
        for (var rank = 0; rank < n; rank++)
        {
            Assert.Equal(expected, workers[rank]);
        }
        for (var i = 0; i < length; i++)
        {
            var mean = gradients.Average(g => (double)g[i]);
            Assert.True(Math.Abs(workers[0][i] - mean) <= 1e-5 * (1 + Math.Abs(mean)), $"index {i}: ring {workers[0][i]} vs mean {mean}");
        }
    }

    [Fact]
    public void ChunkArithmetic_MatchesScalarLoop_ForEveryLength()
    {
        var random = new Random(7);
        for (var length = 0; length < 70; length++)
        {
            var a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() * 10 - 5).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() * 10 - 5).ToArray();
            var sum = (float[])a.Clone();

            ChunkArithmetic.Add(sum, b);
            var quotient = (float[])sum.Clone();
            ChunkArithmetic.Divide(quotient, 3);

            Assert.Equal(a.Zip(b, (x, y) => x + y).ToArray(), sum);
            Assert.Equal(sum.Select(x => x / 3f).ToArray(), quotient);
        }
    }

    [Fact]
    public void UnequalLengths_AreRejected()
    {
        var workers = new[] { new float[4], new float[5] };

        var error = Assert.Throws<ArgumentException>(() => RingAllReduceSimulator.AllReduceMean(workers));
        Assert.Contains("Worker 1 has 5 values", error.Message);
    }

    private static float[] RingOrderSum(float[][] gradients, ChunkLayout layout, int chunk)
    {
        var n = gradients.Length;
        var sum = layout.Slice(gradients[chunk].AsSpan(), chunk).ToArray();
        for (var k = 1; k < n; k++)
        {
            var contributor = layout.Slice(gradients[(chunk + k) % n].AsSpan(), chunk);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = contributor[i] + sum[i];
            }
        }
        return sum;
    }

    private static float[][] RandomGradients(int n, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
            .ToArray();
    }
}
