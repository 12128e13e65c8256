using OrleansRing.Data;

namespace OrleansRing.Training.Tests;

/// <summary>
/// Momentum kept on the worker (<see cref="TrainingOptions.WorkerMomentum"/>): what each worker contributes and what its
/// checkpoint refuses. That the mean of the buffers takes the replicas' momentum step, and that a checkpoint keeps the
/// buffer: WorkerTrainerTests.RingOfTwo and SaveState_*.
/// </summary>
public sealed class WorkerMomentumTests
{
    private static readonly ImageDataset s_train = TestImages.Create(400, seed: 21, "train");

    // A large weight decay, so a contribution that left it out would be far from the optimizer's step.
    private static readonly TrainingOptions s_replica = new() { BatchSize = 16, Seed = 5, LearningRate = 0.02, Momentum = 0.9, WeightDecay = 0.05 };
    private static readonly TrainingOptions s_worker = s_replica with { WorkerMomentum = true };

    [Fact]
    public void Contribution_IsMomentumBufferOfGradientPlusWeightDecay()
    {
        using var worker = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 0);
        using var raw = new WorkerTrainer(s_replica, s_train, TestImages.Range(0, 200), rank: 0);
        var contribution = new float[worker.ParameterCount];
        var gradient = new float[worker.ParameterCount];
        float[]? expected = null;

        for (var t = 0; t < 4; t++)
        {
            // The same parameters on both, so the raw gradient is the one the worker's buffer took in.
            raw.ImportParameters(worker.ExportParameters());
            var parameters = worker.ExportParameters();
            worker.ComputeGradient(t, contribution);
            raw.ComputeGradient(t, gradient);
            var decayed = gradient.Select((g, i) => g + ((float)s_replica.WeightDecay * parameters[i])).ToArray();
            expected = expected is null ? decayed : [.. expected.Select((m, i) => ((float)s_replica.Momentum * m) + decayed[i])];

            Assert.True(contribution.AsSpan().SequenceEqual(expected), $"iteration {t}: the contribution is not β·m + g + λ·θ");
            if (t > 0)
            {
                Assert.True(Vectors.RelativeDifference(contribution, gradient) > 0.05, $"iteration {t}: the contribution is (nearly) the raw gradient");
            }
            worker.ApplyGradient(contribution);
        }
    }

    [Fact]
    public void LoadState_WorkerBufferIntoReplicaTrainer_ThrowsInvalidData()
    {
        using var worker = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 0);
        using var replica = new WorkerTrainer(s_replica, s_train, TestImages.Range(0, 200), rank: 0);
        var gradient = new float[worker.ParameterCount];
        TrainerSteps.Run(worker, 0, 1, gradient);

        var error = Assert.Throws<InvalidDataException>(() => replica.LoadState(worker.SaveState()));
        Assert.Contains("worker momentum", error.Message);
    }

    [Fact]
    public void SingleProcessTrainer_WithWorkerMomentum_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SingleProcessTrainer(s_worker, s_train));
        Assert.Contains("WorkerMomentum", error.Message);
    }
}
