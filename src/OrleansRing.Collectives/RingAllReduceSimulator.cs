namespace OrleansRing.Collectives;

/// <summary>
/// Runs ring all-reduce on in-memory vectors, sequentially, with exactly the schedule and arithmetic
/// the worker grains use. It is the executable specification the grains are tested against, and the
/// no-network baseline of <c>bench allreduce</c>.
/// </summary>
public static class RingAllReduceSimulator
{
    /// <summary>
    /// Scatter-reduce in place: afterwards worker r's chunk <see cref="RingSchedule.OwnedChunk"/> holds the
    /// sum over all workers, accumulated in ring order starting at the chunk's index.
    /// </summary>
    public static void ScatterReduce(float[][] workers)
    {
        var (n, layout) = Validate(workers);
        var inFlight = new float[n][];
        for (var step = 0; step < n - 1; step++)
        {
            // Every rank sends before any rank receives, as in the concurrent ring.
            for (var rank = 0; rank < n; rank++)
            {
                inFlight[rank] = layout.Slice(workers[rank].AsSpan(), RingSchedule.ScatterReduceSendChunk(rank, step, n)).ToArray();
            }
            for (var rank = 0; rank < n; rank++)
            {
                var predecessor = RingSchedule.Predecessor(rank, n);
                ChunkArithmetic.Add(layout.Slice(workers[rank].AsSpan(), RingSchedule.ScatterReduceReceiveChunk(rank, step, n)), inFlight[predecessor]);
            }
        }
    }

    /// <summary>Divides each owned chunk by N, then all-gathers: every worker ends with the mean.</summary>
    public static void AverageAndAllGather(float[][] workers)
    {
        var (n, layout) = Validate(workers);
        for (var rank = 0; rank < n; rank++)
        {
            ChunkArithmetic.Divide(layout.Slice(workers[rank].AsSpan(), RingSchedule.OwnedChunk(rank, n)), n);
        }
        var inFlight = new float[n][];
        for (var step = 0; step < n - 1; step++)
        {
            for (var rank = 0; rank < n; rank++)
            {
                inFlight[rank] = layout.Slice(workers[rank].AsSpan(), RingSchedule.AllGatherSendChunk(rank, step, n)).ToArray();
            }
            for (var rank = 0; rank < n; rank++)
            {
                var predecessor = RingSchedule.Predecessor(rank, n);
                inFlight[predecessor].CopyTo(layout.Slice(workers[rank].AsSpan(), RingSchedule.AllGatherReceiveChunk(rank, step, n)));
            }
        }
    }

    /// <summary>Full all-reduce to the mean, in place.</summary>
    public static void AllReduceMean(float[][] workers)
    {
        ScatterReduce(workers);
        AverageAndAllGather(workers);
    }

    private static (int WorldSize, ChunkLayout Layout) Validate(float[][] workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        if (workers.Length == 0)
        {
            throw new ArgumentException("At least one worker is needed.", nameof(workers));
        }
        var length = workers[0].Length;
        for (var r = 1; r < workers.Length; r++)
        {
            if (workers[r].Length != length)
            {
                throw new ArgumentException($"Worker {r} has {workers[r].Length} values, worker 0 has {length}.", nameof(workers));
            }
        }
        return (workers.Length, new ChunkLayout(length, workers.Length));
    }
}
