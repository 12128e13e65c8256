using OrleansRing.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace OrleansRing.Training.Tests;

public sealed class WorkerTrainerTests
{
    private static readonly ImageDataset s_train = TestImages.Create(400, seed: 11, "train");
    private static readonly ImageDataset s_test = TestImages.Create(200, seed: 12, "test");

    private static readonly TrainingOptions s_options = new() { BatchSize = 16, Seed = 3, LearningRate = 0.02 };

    [Fact]
    public void ComputeGradient_Batch_MatchesDirectAutograd()
    {
        using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 1);
        var gradient = new float[trainer.ParameterCount];
        var batch = trainer.Sampler.BatchIndices(2);

        var metrics = trainer.ComputeGradient(2, gradient);

        // The same computation written directly: standardise with statistics over the whole training
        // set, mean cross-entropy, autograd, concatenated .grad tensors.
        using var model = ModelFactory.Create(ModelKind.PaperCnn, s_options.Seed);
        using var scope = NewDisposeScope();
        var all = tensor(s_train.Pixels.ToArray(), [s_train.Count, 3, 32, 32]).to_type(ScalarType.Float32).div(255);
        var mean = all.mean([0, 2, 3], keepdim: true);
        var std = all.std([0, 2, 3], unbiased: false, keepdim: true);
        var rows = tensor(batch.Select(i => (long)i).ToArray());
        var input = all.index_select(0, rows).sub(mean).div(std);
        var labels = tensor(batch.Select(i => (long)s_train.Labels[i]).ToArray());
        var loss = nn.functional.cross_entropy(model.forward(input), labels);
        loss.backward();
        var expected = cat(model.parameters().Select(p => p.grad!.flatten()).ToArray()).data<float>().ToArray();

        Assert.Equal(16, metrics.Samples);
        Assert.Equal(loss.item<float>(), metrics.Loss, 4);
        Assert.True(Vectors.MaxAbs(gradient) > 1e-3, "the gradient is (nearly) zero");
        var relative = Vectors.RelativeDifference(gradient, expected);
        Assert.True(relative < 1e-4, $"relative difference {relative}");
    }

    [Fact]
    public void Normalization_GivenStatistics_AreWhatImagesAreStandardisedWith()
    {
        using var byDefault = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var explicitSame = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0, ChannelStatistics.Compute(s_train));
        using var explicitOther = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0, new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]));
        var g1 = new float[byDefault.ParameterCount];
        var g2 = new float[byDefault.ParameterCount];
        var g3 = new float[byDefault.ParameterCount];

        byDefault.ComputeGradient(0, g1);
        explicitSame.ComputeGradient(0, g2);
        explicitOther.ComputeGradient(0, g3);

        Assert.True(g1.AsSpan().SequenceEqual(g2));
        Assert.False(g1.AsSpan().SequenceEqual(g3));
        using var another = new WorkerTrainer(s_options, s_train, [5], rank: 3);
        Assert.Same(byDefault.Normalization, another.Normalization);
    }

    [Fact]
    public void ComputeGradient_TwoWorkersAveraged_EqualsGradientOnUnionOfBatches()
    {
        using var worker0 = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var worker1 = new WorkerTrainer(s_options, s_train, TestImages.Range(200, 200), rank: 1);
        using var reference = new SingleProcessTrainer(s_options, s_train);
        var g0 = new float[worker0.ParameterCount];
        var g1 = new float[worker0.ParameterCount];
        var full = new float[worker0.ParameterCount];

        worker0.ComputeGradient(5, g0);
        worker1.ComputeGradient(5, g1);
        var union = SingleProcessTrainer.UnionOfBatches([worker0.Sampler, worker1.Sampler], 5);
        reference.ComputeGradient(union, full);
        var averaged = g0.Zip(g1, (a, b) => (a + b) / 2).ToArray();

        Assert.Equal(32, union.Length);
        var relative = Vectors.RelativeDifference(averaged, full);
        Assert.True(relative < 1e-5, $"relative difference {relative}");
        Assert.True(Vectors.RelativeDifference(g0, full) > 1e-2, "a single half-batch already matches the full batch");
    }

    [Fact]
    public void ApplyGradient_AveragedGradientOnReplicas_ParametersStayBitwiseIdentical()
    {
        using var worker0 = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var worker1 = new WorkerTrainer(s_options, s_train, TestImages.Range(200, 200), rank: 1);
        var g0 = new float[worker0.ParameterCount];
        var g1 = new float[worker0.ParameterCount];
        var initial = worker0.ParameterHash();

        for (var t = 0; t < 3; t++)
        {
            worker0.ComputeGradient(t, g0);
            worker1.ComputeGradient(t, g1);
            var averaged = g0.Zip(g1, (a, b) => (a + b) / 2).ToArray();
            worker0.ApplyGradient(averaged);
            worker1.ApplyGradient(averaged);
            Assert.Equal(worker0.ParameterHash(), worker1.ParameterHash());
        }

        Assert.NotEqual(initial, worker0.ParameterHash());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // each worker's momentum buffer averaged: the step of the reference's own momentum
    public void RingOfTwo_SeveralSteps_MatchesSingleProcessOnUnionBatches(bool workerMomentum)
    {
        var options = s_options with { WorkerMomentum = workerMomentum };
        using var worker0 = new WorkerTrainer(options, s_train, TestImages.Range(0, 200), rank: 0);
        using var worker1 = new WorkerTrainer(options, s_train, TestImages.Range(200, 200), rank: 1);
        using var reference = new SingleProcessTrainer(s_options, s_train);
        var g0 = new float[worker0.ParameterCount];
        var g1 = new float[worker0.ParameterCount];

        for (var t = 0; t < 4; t++)
        {
            worker0.ComputeGradient(t, g0);
            worker1.ComputeGradient(t, g1);
            var averaged = g0.Zip(g1, (a, b) => (a + b) / 2).ToArray();
            worker0.ApplyGradient(averaged);
            worker1.ApplyGradient(averaged);
            reference.Step(SingleProcessTrainer.UnionOfBatches([worker0.Sampler, worker1.Sampler], t));
        }

        var ring = worker0.ExportParameters();
        var single = reference.ExportParameters();
        var drift = Vectors.MaxAbsDifference(ring, single);
        Assert.True(drift < 1e-5, $"max |ring − single| = {drift}");
    }

    [Fact]
    public void Training_LearnableImages_LossFallsAndAccuracyRises()
    {
        var options = s_options with { BatchSize = 32, LearningRate = 0.01 };
        using var trainer = new WorkerTrainer(options, s_train, TestImages.Range(0, s_train.Count), rank: 0);
        var gradient = new float[trainer.ParameterCount];
        var before = trainer.Evaluate(s_test);

        for (var t = 0; t < 40; t++)
        {
            trainer.ComputeGradient(t, gradient);
            trainer.ApplyGradient(gradient);
        }
        var after = trainer.Evaluate(s_test);

        Assert.True(after.Loss < 0.5 * before.Loss, $"test loss {before.Loss:F3} → {after.Loss:F3}");
        Assert.True(after.Accuracy > 0.6, $"test accuracy {before.Accuracy:P0} → {after.Accuracy:P0}");
    }

    [Fact]
    public void Evaluate_BatchSize_DoesNotChangeResult()
    {
        using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);

        var whole = trainer.Evaluate(s_test, batchSize: 500);
        var pieces = trainer.Evaluate(s_test, batchSize: 7);

        Assert.Equal(200, whole.Samples);
        Assert.Equal(whole.Correct, pieces.Correct);
        Assert.Equal(whole.Loss, pieces.Loss, 4);
    }

    [Fact]
    public void Evaluate_AlexNet_RestoresTrainModeSoDropoutStaysOn()
    {
        var options = s_options with { Model = ModelKind.AlexNet, BatchSize = 4 };
        using var evaluated = new WorkerTrainer(options, s_train, TestImages.Range(0, 100), rank: 0);
        using var twin = new WorkerTrainer(options, s_train, TestImages.Range(0, 100), rank: 0);
        var small = TestImages.Create(8, seed: 13, "small test");
        var g1 = new float[evaluated.ParameterCount];
        var g2 = new float[evaluated.ParameterCount];

        evaluated.Evaluate(small);
        evaluated.ComputeGradient(0, g1);
        twin.ComputeGradient(0, g2);

        Assert.True(g1.AsSpan().SequenceEqual(g2), "after Evaluate the gradient differs from a twin that never evaluated");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the worker's own momentum buffer is part of its state
    public void SaveState_LoadStateIntoFreshTrainer_ContinuesBitwiseIdentically(bool workerMomentum)
    {
        var options = s_options with { WorkerMomentum = workerMomentum };
        using var original = new WorkerTrainer(options, s_train, TestImages.Range(0, 200), rank: 1);
        using var restored = new WorkerTrainer(options, s_train, TestImages.Range(0, 200), rank: 1);
        var gradient = new float[original.ParameterCount];
        TrainSteps(original, 0, 3, gradient);
        // Other weights and momentum before the load, so nothing can carry over by accident.
        TrainSteps(restored, 10, 2, gradient);

        var state = original.SaveState();
        restored.LoadState(state);
        Assert.Equal(original.ParameterHash(), restored.ParameterHash());
        TrainSteps(original, 3, 3, gradient);
        TrainSteps(restored, 3, 3, gradient);

        Assert.Equal(original.ParameterHash(), restored.ParameterHash());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveState_WithoutMomentumBuffers_StillDiffersFromFullRestore(bool workerMomentum)
    {
        // Guards the test above: importing only the weights (no momentum, on the replica or the worker) must diverge.
        var options = s_options with { WorkerMomentum = workerMomentum };
        using var original = new WorkerTrainer(options, s_train, TestImages.Range(0, 200), rank: 1);
        using var weightsOnly = new WorkerTrainer(options, s_train, TestImages.Range(0, 200), rank: 1);
        var gradient = new float[original.ParameterCount];
        TrainSteps(original, 0, 3, gradient);

        weightsOnly.ImportParameters(original.ExportParameters());
        Assert.Equal(original.ParameterHash(), weightsOnly.ParameterHash());
        TrainSteps(original, 3, 1, gradient);
        TrainSteps(weightsOnly, 3, 1, gradient);

        Assert.NotEqual(original.ParameterHash(), weightsOnly.ParameterHash());
    }

    [Fact]
    public void SaveState_AlexNet_RestoresDropoutGenerator()
    {
        var options = s_options with { Model = ModelKind.AlexNet, BatchSize = 4 };
        using var original = new WorkerTrainer(options, s_train, TestImages.Range(0, 100), rank: 0);
        using var restored = new WorkerTrainer(options, s_train, TestImages.Range(0, 100), rank: 0);
        var gradient = new float[original.ParameterCount];
        TrainSteps(original, 0, 1, gradient);

        restored.LoadState(original.SaveState());
        TrainSteps(original, 1, 1, gradient);
        TrainSteps(restored, 1, 1, gradient);

        Assert.Equal(original.ParameterHash(), restored.ParameterHash());
    }

    [Fact]
    public void LoadState_OtherModelOrGarbage_ThrowsInvalidData()
    {
        using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);

        Assert.Throws<InvalidDataException>(() => trainer.LoadState([1, 2, 3, 4, 5, 6, 7, 8]));
        var state = trainer.SaveState();
        Assert.Throws<InvalidDataException>(() => trainer.LoadState(state.AsSpan(0, state.Length / 2).ToArray()));
    }

    [Fact]
    public void ComputeGradient_FlippedLabels_EqualsGradientOnFlippedDatasetAndDiffers()
    {
        var flippedDataset = TestImages.WithFlippedLabels(s_train);
        using var attacked = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var honest = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var onFlipped = new WorkerTrainer(s_options, flippedDataset, TestImages.Range(0, 200), rank: 0);
        var gAttacked = new float[attacked.ParameterCount];
        var gHonest = new float[attacked.ParameterCount];
        var gFlipped = new float[attacked.ParameterCount];

        attacked.ComputeGradient(0, gAttacked, labels =>
        {
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = (byte)(9 - labels[i]);
            }
        });
        honest.ComputeGradient(0, gHonest);
        onFlipped.ComputeGradient(0, gFlipped);

        Assert.True(gAttacked.AsSpan().SequenceEqual(gFlipped), "the transform is not what reached the loss");
        Assert.True(Vectors.RelativeDifference(gAttacked, gHonest) > 0.1, "flipping labels barely changed the gradient");
        Assert.Equal(s_train.Labels.ToArray(), TestImages.WithFlippedLabels(flippedDataset).Labels.ToArray());
    }

    [Fact]
    public void ComputeGradient_TransformOutOfRange_Throws()
    {
        using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        var gradient = new float[trainer.ParameterCount];

        var error = Assert.Throws<InvalidOperationException>(() => trainer.ComputeGradient(0, gradient, labels => labels[0] = 10));

        Assert.Contains("label 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameSeedOnConcurrentThreads_IdenticalHash_OtherSeedDiffers()
    {
        var hashes = new string[2];
        using var barrier = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(rank => new Thread(() =>
        {
            barrier.SignalAndWait();
            using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(rank * 200, 200), rank);
            hashes[rank] = trainer.ParameterHash();
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        using var other = new WorkerTrainer(s_options with { Seed = 4 }, s_train, TestImages.Range(0, 200), rank: 0);

        Assert.Equal(64, hashes[0].Length);
        Assert.Equal(hashes[0], hashes[1]);
        Assert.NotEqual(hashes[0], other.ParameterHash());
    }

    [Fact]
    public void Training_WorkersOnConcurrentThreads_SameResultAsOneAfterAnother()
    {
        const int workers = 3;
        string[] Run(bool concurrently)
        {
            var hashes = new string[workers];
            void Work(int rank)
            {
                using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(rank * 100, 100), rank);
                TrainSteps(trainer, 0, 3, new float[trainer.ParameterCount]);
                hashes[rank] = trainer.ParameterHash();
            }
            if (concurrently)
            {
                var threads = Enumerable.Range(0, workers).Select(rank => new Thread(() => Work(rank))).ToArray();
                foreach (var thread in threads)
                {
                    thread.Start();
                }
                foreach (var thread in threads)
                {
                    thread.Join();
                }
            }
            else
            {
                for (var rank = 0; rank < workers; rank++)
                {
                    Work(rank);
                }
            }
            return hashes;
        }

        var concurrent = Run(concurrently: true);
        var sequential = Run(concurrently: false);

        Assert.Equal(sequential, concurrent);
        Assert.Equal(workers, sequential.Distinct().Count());
    }

    [Fact]
    public void ImportParameters_ExportFromOtherReplica_SameHash()
    {
        using var a = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
        using var b = new WorkerTrainer(s_options with { Seed = 8 }, s_train, TestImages.Range(0, 200), rank: 0);

        b.ImportParameters(a.ExportParameters());

        Assert.Equal(a.ParameterHash(), b.ParameterHash());
        Assert.Equal(PaperCnn.ParameterCount, a.ParameterCount);
    }

    [Fact]
    public void GradientSpans_WrongLength_Throw()
    {
        using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);

        Assert.Throws<ArgumentException>(() => trainer.ComputeGradient(0, new float[10]));
        Assert.Throws<ArgumentException>(() => trainer.ApplyGradient(new float[trainer.ParameterCount + 1]));
        Assert.Throws<ArgumentException>(() => trainer.ImportParameters(new float[3]));
    }

    [Fact]
    public void Constructor_ShardIndexOutsideDataset_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WorkerTrainer(s_options, s_train, [0, 400], rank: 0));
    }

    [Fact]
    public void TrainingOptions_InvalidValues_MessageNamesEach()
    {
        var options = new TrainingOptions { LearningRate = 0, Momentum = 1, WeightDecay = double.NaN, BatchSize = 0, Model = (ModelKind)7 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        foreach (var name in new[] { "Model", "LearningRate", "Momentum", "WeightDecay", "BatchSize" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
        new TrainingOptions().Validate();
    }

    [Fact]
    public void TrainingCalls_AfterWarmUp_LeaveNoLiveTensors()
    {
        // Statistics are per thread, so the whole check runs on one fresh thread.
        long warm = 0, after = 0;
        var thread = new Thread(() =>
        {
            using var trainer = new WorkerTrainer(s_options, s_train, TestImages.Range(0, 200), rank: 0);
            var gradient = new float[trainer.ParameterCount];
            TrainSteps(trainer, 0, 2, gradient);
            warm = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            TrainSteps(trainer, 2, 3, gradient);
            trainer.Evaluate(s_test);
            trainer.ParameterHash();
            trainer.ImportParameters(trainer.ExportParameters());
            after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        });

        thread.Start();
        thread.Join();

        Assert.Equal(warm, after);
    }

    private static void TrainSteps(WorkerTrainer trainer, long first, int count, float[] gradient) =>
        TrainerSteps.Run(trainer, first, count, gradient);
}
