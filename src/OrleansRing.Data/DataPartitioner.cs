namespace OrleansRing.Data;

/// <summary>
/// Deals sample indices out to workers. Every index goes to exactly one worker, every worker gets at
/// least one, and a seed fixes the result. Each worker's indices are sorted ascending: their order
/// carries no meaning (training shuffles per epoch), and sorted arrays compare and read well.
/// </summary>
public static class DataPartitioner
{
    /// <summary>Seeded shuffle of 0..<paramref name="sampleCount"/>−1, split into near-equal contiguous shares.</summary>
    /// <returns>Per worker its indices; the first sampleCount mod workers workers get one more.</returns>
    public static int[][] Iid(int sampleCount, int workers, int seed)
    {
        ValidateWorkers(sampleCount, workers);
        var order = new int[sampleCount];
        for (var i = 0; i < sampleCount; i++)
        {
            order[i] = i;
        }
        new Random(seed).Shuffle(order);

        var shares = new int[workers][];
        var baseSize = sampleCount / workers;
        var extra = sampleCount % workers;
        var start = 0;
        for (var w = 0; w < workers; w++)
        {
            var size = baseSize + (w < extra ? 1 : 0);
            shares[w] = order[start..(start + size)];
            Array.Sort(shares[w]);
            start += size;
        }
        return shares;
    }

    /// <summary>
    /// Non-IID split as in the federated-learning literature (Yurochkin et al. 2019; Hsu et al. 2019):
    /// for each class independently, draw worker proportions p ~ Dirichlet(α, …, α) and give each worker
    /// that share of the class's (shuffled) samples. Small α (0.1) leaves most workers with one or two
    /// classes; large α (100) approaches IID.
    /// </summary>
    /// <remarks>
    /// Rule for empty workers (likely with small α and many workers): while a worker has no sample, it
    /// takes one from the worker holding the most samples (lowest rank on ties), namely the
    /// highest-numbered sample of that worker's largest class (lowest class on ties). This moves as few
    /// samples as possible and keeps the donor's skew; it needs sampleCount ≥ workers.
    /// </remarks>
    /// <param name="labels">The label of every sample; sample i has label labels[i].</param>
    /// <param name="classCount">Labels lie in [0, classCount).</param>
    /// <param name="workers">Number of shares.</param>
    /// <param name="alpha">Dirichlet concentration, positive and finite.</param>
    /// <param name="seed">Fixes the proportions and which samples go where.</param>
    public static int[][] Dirichlet(ReadOnlySpan<byte> labels, int classCount, int workers, double alpha, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ValidateWorkers(labels.Length, workers);
        if (!(alpha > 0) || !double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The Dirichlet concentration alpha must be positive and finite (e.g. 0.1 for strongly non-IID, 100 for nearly IID).");
        }

        var byClass = new List<int>[classCount];
        for (var k = 0; k < classCount; k++)
        {
            byClass[k] = [];
        }
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new ArgumentException($"Sample {i} has label {labels[i]}, outside [0, {classCount}).", nameof(labels));
            }
            byClass[labels[i]].Add(i);
        }

        var random = new Random(seed);
        var gamma = new GammaSampler(random);
        // shares[w][k]: worker w's samples of class k.
        var shares = new List<int>[workers][];
        for (var w = 0; w < workers; w++)
        {
            shares[w] = new List<int>[classCount];
            for (var k = 0; k < classCount; k++)
            {
                shares[w][k] = [];
            }
        }
        var proportions = new double[workers];
        for (var k = 0; k < classCount; k++)
        {
            var members = byClass[k].ToArray();
            random.Shuffle(members);
            DrawDirichlet(gamma, alpha, proportions);
            // Cut points at rounded cumulative proportions; the last is pinned to the end, so nothing is lost.
            var cumulative = 0.0;
            var start = 0;
            for (var w = 0; w < workers; w++)
            {
                cumulative += proportions[w];
                var end = w == workers - 1 ? members.Length : Math.Clamp((int)Math.Round(cumulative * members.Length), start, members.Length);
                shares[w][k].AddRange(members.AsSpan(start, end - start));
                start = end;
            }
        }

        FillEmptyWorkers(shares);

        var result = new int[workers][];
        for (var w = 0; w < workers; w++)
        {
            result[w] = [.. shares[w].SelectMany(s => s)];
            Array.Sort(result[w]);
        }
        return result;
    }

    /// <summary>Runs the split that <paramref name="spec"/> names over <paramref name="dataset"/>'s samples.</summary>
    public static int[][] Partition(PartitionSpec spec, ImageDataset dataset, int workers, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(dataset);
        return spec.Kind switch
        {
            PartitionKind.Iid => Iid(dataset.Count, workers, seed),
            PartitionKind.Dirichlet => Dirichlet(dataset.Labels, dataset.ClassCount, workers, spec.Alpha, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown partition kind."),
        };
    }

    /// <summary>How many of <paramref name="indices"/> have each label: a worker's class histogram.</summary>
    public static int[] ClassCounts(ReadOnlySpan<byte> labels, int classCount, ReadOnlySpan<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var counts = new int[classCount];
        foreach (var i in indices)
        {
            counts[labels[i]]++;
        }
        return counts;
    }

    private static void ValidateWorkers(int sampleCount, int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "Need at least one worker.");
        }
        if (sampleCount < workers)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, $"{workers} workers cannot each get a sample from only {sampleCount} samples.");
        }
    }

    /// <summary>p ~ Dirichlet(α, …, α) as normalised Gamma(α) variates, computed from logarithms so tiny α cannot give 0/0.</summary>
    private static void DrawDirichlet(GammaSampler gamma, double alpha, Span<double> proportions)
    {
        var max = double.NegativeInfinity;
        for (var w = 0; w < proportions.Length; w++)
        {
            proportions[w] = gamma.NextLog(alpha);
            max = Math.Max(max, proportions[w]);
        }
        var sum = 0.0;
        for (var w = 0; w < proportions.Length; w++)
        {
            proportions[w] = Math.Exp(proportions[w] - max);
            sum += proportions[w];
        }
        for (var w = 0; w < proportions.Length; w++)
        {
            proportions[w] /= sum;
        }
    }

    private static void FillEmptyWorkers(List<int>[][] shares)
    {
        var sizes = shares.Select(s => s.Sum(c => c.Count)).ToArray();
        for (var w = 0; w < shares.Length; w++)
        {
            if (sizes[w] > 0)
            {
                continue;
            }
            var donor = Array.IndexOf(sizes, sizes.Max());
            var classes = shares[donor];
            var largest = 0;
            for (var k = 1; k < classes.Length; k++)
            {
                if (classes[k].Count > classes[largest].Count)
                {
                    largest = k;
                }
            }
            var from = classes[largest];
            var highest = from.IndexOf(from.Max());
            shares[w][largest].Add(from[highest]);
            from.RemoveAt(highest);
            sizes[donor]--;
            sizes[w]++;
        }
    }
}
