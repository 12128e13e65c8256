using System.Diagnostics;

namespace OrleansRing.Training.Tests;

/// <summary>
/// Prints the per-step cost of the paper CNN; asserts only that the measurement ran. Process CPU time is
/// printed next to wall time because the test machine is shared: with one intra-op thread, CPU time is
/// close to what the step would take on an idle core.
/// </summary>
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void PaperCnn_StepTimesAndThroughput_AreMeasured()
    {
        var train = TestImages.Create(1024, seed: 21, "throughput");
        var original = TorchRuntime.IntraOpThreads;
        try
        {
            TorchRuntime.SetIntraOpThreads(1);
            using var trainer = new WorkerTrainer(new TrainingOptions(), train, TestImages.Range(0, train.Count), rank: 0);
            var gradient = new float[trainer.ParameterCount];
            for (var t = 0; t < 2; t++)
            {
                trainer.ComputeGradient(t, gradient);
                trainer.ApplyGradient(gradient);
            }
            const int steps = 10;
            var compute = new Stopwatch();
            var apply = new Stopwatch();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var t = 2; t < 2 + steps; t++)
            {
                compute.Start();
                trainer.ComputeGradient(t, gradient);
                compute.Stop();
                apply.Start();
                trainer.ApplyGradient(gradient);
                apply.Stop();
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            output.WriteLine(
                $"PaperCnn batch 64, 1 intra-op thread, mean of {steps} steps: ComputeGradient {compute.Elapsed.TotalMilliseconds / steps:F1} ms, " +
                $"ApplyGradient {apply.Elapsed.TotalMilliseconds / steps:F2} ms, together {(compute.Elapsed + apply.Elapsed).TotalMilliseconds / steps:F1} ms wall, " +
                $"{cpu.TotalMilliseconds / steps:F1} ms process CPU");

            TorchRuntime.SetIntraOpThreads(2);
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var result = TrainingThroughput.Measure(new TrainingOptions(), train, globalBatchSize: 512, iterations: 3, warmupIterations: 1);
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            output.WriteLine(
                $"PaperCnn single process, batch {result.BatchSize}, {result.IntraOpThreads} intra-op threads, {result.Iterations} steps: " +
                $"{result.SamplesPerSecond:F0} samples/s ({result.MillisecondsPerIteration:F0} ms/step wall; " +
                $"{cpu.TotalMilliseconds / (result.Iterations + 1):F0} ms process CPU per step incl. warm-up)");

            Assert.Equal(2, result.IntraOpThreads);
            Assert.True(result.SamplesPerSecond > 0);
        }
        finally
        {
            TorchRuntime.SetIntraOpThreads(original);
        }
    }
}
