using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OrleansRing.Abstractions;
using OrleansRing.Collectives;

namespace OrleansRing.Grains.Tests;

/// <summary>The 4-worker ring the attack and defence tests share: its benchmark inputs, a short training run, hashes.</summary>
internal static class SmallRing
{
    public const int Workers = 4;
    public const int Floats = 1001;

    /// <summary>Two iterations of 4 × 16 synthetic images, nothing persisted; a unique id unless asked otherwise.</summary>
    public static ExperimentConfig Training(string name, bool unique = true) => new()
    {
        ExperimentId = unique ? $"{name}-{Guid.NewGuid():N}" : name,
        Workers = Workers,
        Iterations = 2,
        BatchSize = 16,
        EvaluationInterval = 100,
        Persistence = ChunkPersistence.Off,
        Data = new DataSourceSpec { SyntheticTrainCount = 256, SyntheticTestCount = 32 },
    };

    /// <summary>Every rank's benchmark input, as the workers fill it.</summary>
    public static float[][] Inputs() => [.. Enumerable.Range(0, Workers).Select(r =>
    {
        var v = new float[Floats];
        BenchmarkVector.Fill(v, r);
        return v;
    })];

    /// <summary>The hash the workers report for a result vector.</summary>
    public static string Hash(float[] vector) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vector.AsSpan())));
}
