namespace OrleansRing.Api.Tests;

/// <summary>Tiny sweeps on synthetic data: two workers, a few iterations, nothing persisted; seconds each.</summary>
internal static class SweepFiles
{
    public static string Tiny(string name, int iterations = 4, string attacks = "[none, gradient-flipping]") => $"""
        name: {name}
        base:
          workers: 2
          iterations: {iterations}
          batch: 16
          synthetic-train: 256
          synthetic-test: 64
          eval-interval: 2
          persistence: off
        axes:
          attack: {attacks}
        """;
}
