using OrleansRing.Data;

namespace OrleansRing.Training.Tests;

/// <summary>
/// Momentum kept on the worker (<see cref="TrainingOptions.WorkerMomentum"/>): what each worker contributes, and that
/// under the plain mean it is the step the replicas' own momentum would have taken.
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
    public void TwoWorkersAveraged_TakeTheStepOfReplicaMomentumOnTheUnionOfBatches()
    {
        using var worker0 = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 0);
        using var worker1 = new WorkerTrainer(s_worker, s_train, TestImages.Range(200, 200), rank: 1);
        using var reference = new SingleProcessTrainer(s_replica, s_train);
        var c0 = new float[worker0.ParameterCount];
        var c1 = new float[worker0.ParameterCount];

        for (var t = 0; t < 6; t++)
        {
            worker0.ComputeGradient(t, c0);
            worker1.ComputeGradient(t, c1);
            var mean = c0.Zip(c1, (a, b) => (a + b) / 2).ToArray();
            worker0.ApplyGradient(mean);
            worker1.ApplyGradient(mean);
            reference.Step(SingleProcessTrainer.UnionOfBatches([worker0.Sampler, worker1.Sampler], t));
        }

        Assert.Equal(worker0.ParameterHash(), worker1.ParameterHash());
        using var initial = new WorkerTrainer(s_replica, s_train, [0], rank: 0);
        var start = initial.ExportParameters();
        var moved = Vectors.RelativeDifference(reference.ExportParameters(), start);
        var apart = Vectors.RelativeDifference(worker0.ExportParameters(), reference.ExportParameters());
        Assert.True(moved > 1e-3, $"training barely moved the weights ({moved})");
        Assert.True(apart < 1e-3 * moved, $"worker momentum is {apart} from replica momentum after weights moved {moved}");
    }

    [Fact]
    public void SaveState_KeepsTheWorkerBuffer_AndContinuesBitwiseIdentically()
    {
        using var original = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 1);
        using var restored = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 1);
        using var weightsOnly = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 1);
        var gradient = new float[original.ParameterCount];
        Train(original, 0, 3, gradient);

        restored.LoadState(original.SaveState());
        weightsOnly.ImportParameters(original.ExportParameters());
        Train(original, 3, 2, gradient);
        Train(restored, 3, 2, gradient);
        Train(weightsOnly, 3, 2, gradient);

        Assert.Equal(original.ParameterHash(), restored.ParameterHash());
        Assert.NotEqual(original.ParameterHash(), weightsOnly.ParameterHash());
    }

    [Fact]
    public void LoadState_WorkerBufferIntoReplicaTrainer_ThrowsInvalidData()
    {
        using var worker = new WorkerTrainer(s_worker, s_train, TestImages.Range(0, 200), rank: 0);
        using var replica = new WorkerTrainer(s_replica, s_train, TestImages.Range(0, 200), rank: 0);
        var gradient = new float[worker.ParameterCount];
        Train(worker, 0, 1, gradient);

        var error = Assert.Throws<InvalidDataException>(() => replica.LoadState(worker.SaveState()));
        Assert.Contains("worker momentum", error.Message);
    }

    [Fact]
    public void SingleProcessTrainer_WithWorkerMomentum_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SingleProcessTrainer(s_worker, s_train));
        Assert.Contains("WorkerMomentum", error.Message);
    }

    private static void Train(WorkerTrainer trainer, long first, int count, float[] gradient)
    {
        for (var t = first; t < first + count; t++)
        {
            trainer.ComputeGradient(t, gradient);
            trainer.ApplyGradient(gradient);
        }
    }
}
