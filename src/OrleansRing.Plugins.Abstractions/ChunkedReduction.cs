namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// Runs a defence's <see cref="IDefence.Reduce"/> over whole vectors exactly as the ring does, without the ring: the
/// vectors are cut into N chunks (the first L mod N one value longer, as the ring's layout does), one defence instance
/// per owner reduces its chunk, and each statistics round is summed over the owners in rank order. For tests of a
/// reduction against its whole-vector definition, in plugin projects and in the host's.
/// </summary>
public static class ChunkedReduction
{
    /// <param name="createDefence">One instance per owner, as in the ring.</param>
    /// <param name="vectors">The N contributions (rank order), all of one length.</param>
    /// <param name="iteration">Passed to the contexts.</param>
    /// <param name="sharedSeed">Passed to the contexts.</param>
    public static ChunkedReductionResult Run(Func<IDefence> createDefence, IReadOnlyList<float[]> vectors, long iteration = 0, ulong sharedSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(createDefence);
        ArgumentNullException.ThrowIfNull(vectors);
        var n = vectors.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var length = vectors[0].Length;
        if (vectors.Any(v => v.Length != length))
        {
            throw new ArgumentException("All vectors must have one length.", nameof(vectors));
        }

        var offsets = new int[n + 1];
        for (var c = 0; c < n; c++)
        {
            offsets[c + 1] = offsets[c] + (length / n) + (c < length % n ? 1 : 0);
        }

        var owners = Enumerable.Range(0, n).Select(_ => createDefence()).ToArray();
        var sinks = Enumerable.Range(0, n).Select(_ => new DetectionSink(n)).ToArray();
        var contributions = Enumerable.Range(0, n)
            .Select(c => (IReadOnlyList<ReadOnlyMemory<float>>)[.. vectors.Select(v => new ReadOnlyMemory<float>(v, offsets[c], offsets[c + 1] - offsets[c]))])
            .ToArray();
        var result = new float[length];
        var totalsByRound = new List<double[]>();
        var done = new bool[n];
        ReadOnlyMemory<double> totals = ReadOnlyMemory<double>.Empty;
        for (var round = 0; ; round++)
        {
            var statistics = new double[n][];
            for (var c = 0; c < n; c++)
            {
                // In the ring, rank (c - 1) mod n owns chunk c; the harness keys owners by chunk, which is the same set.
                var context = new ReductionContext(new DefenceContext(c, n, iteration, sharedSeed, sinks[c]), c, offsets[c], length, contributions[c], round, totals);
                statistics[c] = owners[c].Reduce(context, result.AsSpan(offsets[c], offsets[c + 1] - offsets[c]))!;
                done[c] = statistics[c] is null;
            }

            if (done.All(d => d))
            {
                break;
            }

            if (done.Any(d => d) || statistics.Any(s => s.Length != statistics[0].Length))
            {
                throw new InvalidOperationException($"Owners disagree in round {round}: some asked for another round or for statistics of another length.");
            }

            var sum = new double[statistics[0].Length];
            foreach (var part in statistics)
            {
                for (var j = 0; j < sum.Length; j++)
                {
                    sum[j] += part[j];
                }
            }

            totalsByRound.Add(sum);
            totals = sum;
        }

        return new ChunkedReductionResult(result, totalsByRound, [.. sinks.SelectMany(s => s.Flags)]);
    }
}
