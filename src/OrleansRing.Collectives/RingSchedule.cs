namespace OrleansRing.Collectives;

/// <summary>
/// Which chunk a rank sends and receives at each step of ring all-reduce over N ranks, where rank r
/// sends to (r + 1) mod N. Scatter-reduce: at step s rank r sends chunk (r − s) and adds the received
/// chunk (r − s − 1) into its own; after N − 1 steps rank r holds the complete sum of chunk (r + 1).
/// All-gather: at step s rank r sends chunk (r + 1 − s) and overwrites chunk (r − s) with what it receives.
/// </summary>
public static class RingSchedule
{
    public static int StepsPerPhase(int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        return worldSize - 1;
    }

    public static int Successor(int rank, int worldSize) => Mod(rank + 1, worldSize);

    public static int Predecessor(int rank, int worldSize) => Mod(rank - 1, worldSize);

    /// <summary>The chunk whose complete sum rank <paramref name="rank"/> holds after scatter-reduce.</summary>
    public static int OwnedChunk(int rank, int worldSize) => Mod(rank + 1, worldSize);

    /// <summary>The rank that holds the complete sum of <paramref name="chunk"/> after scatter-reduce.</summary>
    public static int OwnerOf(int chunk, int worldSize) => Mod(chunk - 1, worldSize);

    public static int ScatterReduceSendChunk(int rank, int step, int worldSize) => Mod(rank - step, worldSize);

    public static int ScatterReduceReceiveChunk(int rank, int step, int worldSize) => Mod(rank - step - 1, worldSize);

    public static int AllGatherSendChunk(int rank, int step, int worldSize) => Mod(rank + 1 - step, worldSize);

    public static int AllGatherReceiveChunk(int rank, int step, int worldSize) => Mod(rank - step, worldSize);

    private static int Mod(int value, int modulus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modulus, 1);
        var r = value % modulus;
        return r < 0 ? r + modulus : r;
    }
}
