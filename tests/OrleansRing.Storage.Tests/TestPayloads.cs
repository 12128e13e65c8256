namespace OrleansRing.Storage.Tests;

internal static class TestPayloads
{
    /// <summary>Seeded, so a failure reproduces.</summary>
    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A fresh experiment id per test, so tests sharing a store never see each other's blobs.</summary>
    public static string NewExperimentId() => "t-" + Guid.NewGuid().ToString("N")[..16];

    public static ChunkKey Chunk(string experimentId, long iteration = 1, int step = 0, int sender = 0, int receiver = 1, int chunk = 0, RingPhase phase = RingPhase.ScatterReduce) =>
        new(experimentId, iteration, phase, step, sender, receiver, chunk);
}
