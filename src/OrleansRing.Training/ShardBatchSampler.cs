namespace OrleansRing.Training;

/// <summary>
/// Which images of a worker's shard each iteration trains on. Epoch e is a permutation of the shard,
/// shuffled from (seed, rank, e); the epochs are laid end to end and iteration t takes samples
/// [t·B, (t+1)·B) of that stream, so a batch may straddle two epochs and every epoch still uses each
/// shard image exactly once. Everything is a pure function of the constructor arguments, so a reference
/// trainer can rebuild any worker's batches. Safe to use from several threads.
/// </summary>
public sealed class ShardBatchSampler
{
    private readonly int[] _shard;
    private readonly Lock _gate = new();

    // The current and previous epoch's orders: a straddling batch needs both, and iterations move forward.
    private long _cachedEpochA = -1;
    private int[]? _cachedOrderA;
    private long _cachedEpochB = -1;
    private int[]? _cachedOrderB;

    /// <param name="shardIndices">The dataset indices this worker owns; copied. Distinct and non-negative.</param>
    /// <param name="batchSize">Images per iteration (may exceed the shard; batches then repeat images).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="rank">Worker rank, so workers with equal shards still shuffle differently.</param>
    public ShardBatchSampler(int[] shardIndices, int batchSize, int seed, int rank)
    {
        ArgumentNullException.ThrowIfNull(shardIndices);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        if (shardIndices.Length == 0)
        {
            throw new ArgumentException("A shard needs at least one image.", nameof(shardIndices));
        }
        var seen = new HashSet<int>(shardIndices.Length);
        foreach (var index in shardIndices)
        {
            if (index < 0)
            {
                throw new ArgumentException($"Shard index {index} is negative.", nameof(shardIndices));
            }
            if (!seen.Add(index))
            {
                throw new ArgumentException($"Shard index {index} appears more than once.", nameof(shardIndices));
            }
        }
        _shard = (int[])shardIndices.Clone();
        BatchSize = batchSize;
        Seed = seed;
        Rank = rank;
    }

    public int BatchSize { get; }

    public int Seed { get; }

    public int Rank { get; }

    public int ShardSize => _shard.Length;

    /// <summary>The shard in the order given to the constructor.</summary>
    public ReadOnlySpan<int> ShardIndices => _shard;

    /// <summary>The epoch that iteration <paramref name="iteration"/>'s first image belongs to.</summary>
    public long EpochOf(long iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        return checked(iteration * BatchSize) / _shard.Length;
    }

    /// <summary>The dataset indices of iteration <paramref name="iteration"/>'s batch, in batch order.</summary>
    public int[] BatchIndices(long iteration)
    {
        var batch = new int[BatchSize];
        CopyBatchIndices(iteration, batch);
        return batch;
    }

    /// <summary>Writes iteration <paramref name="iteration"/>'s <see cref="BatchSize"/> indices into <paramref name="destination"/>.</summary>
    public void CopyBatchIndices(long iteration, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        if (destination.Length < BatchSize)
        {
            throw new ArgumentException($"The destination holds {destination.Length} indices; a batch has {BatchSize}.", nameof(destination));
        }
        var position = checked(iteration * BatchSize);
        var written = 0;
        lock (_gate)
        {
            while (written < BatchSize)
            {
                var epoch = position / _shard.Length;
                var offset = (int)(position % _shard.Length);
                var take = Math.Min(BatchSize - written, _shard.Length - offset);
                OrderOf(epoch).AsSpan(offset, take).CopyTo(destination[written..]);
                written += take;
                position += take;
            }
        }
    }

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the shard (a new array).</summary>
    public int[] EpochOrder(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        lock (_gate)
        {
            return (int[])OrderOf(epoch).Clone();
        }
    }

    private int[] OrderOf(long epoch)
    {
        if (epoch == _cachedEpochA)
        {
            return _cachedOrderA!;
        }
        if (epoch == _cachedEpochB)
        {
            return _cachedOrderB!;
        }
        var order = Shuffle(epoch);
        _cachedEpochB = _cachedEpochA;
        _cachedOrderB = _cachedOrderA;
        _cachedEpochA = epoch;
        _cachedOrderA = order;
        return order;
    }

    private int[] Shuffle(long epoch)
    {
        var order = (int[])_shard.Clone();
        var random = new SplitMix64(Seeds.Derive(Seed, Seeds.ShuffleStream, Rank, epoch));
        // Fisher–Yates from the end.
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
