using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrleansRing.Training.Tests;

public sealed class ModelTests
{
    [Fact]
    public void PaperCnn_Parameters_Count878538InPaperLayout()
    {
        using var model = ModelFactory.Create(ModelKind.PaperCnn, seed: 1);

        var shapes = model.parameters().Select(p => string.Join("x", p.shape)).ToArray();

        Assert.Equal(878_538, ModelFactory.CountParameters(model));
        Assert.Equal(878_538, ModelFactory.ParameterCount(ModelKind.PaperCnn));
        Assert.Equal(["32x3x5x5", "32", "64x32x5x5", "64", "512x1600", "512", "10x512", "10"], shapes);
    }

    [Fact]
    public void PaperCnn_Forward_ReturnsNBy10()
    {
        using var model = ModelFactory.Create(ModelKind.PaperCnn, seed: 1);
        using var scope = NewDisposeScope();

        var output = model.forward(randn(3, 3, 32, 32));

        Assert.Equal([3L, 10L], output.shape);
    }

    [Fact]
    public void AlexNetCifar_Forward_ReturnsNBy10WithDocumentedParameterCount()
    {
        using var model = ModelFactory.Create(ModelKind.AlexNet, seed: 1);
        using var scope = NewDisposeScope();

        var output = model.forward(randn(2, 3, 32, 32));

        Assert.Equal([2L, 10L], output.shape);
        Assert.Equal(23_272_266, ModelFactory.CountParameters(model));
        Assert.Equal(AlexNetCifar.ParameterCount, ModelFactory.ParameterCount(ModelKind.AlexNet));
    }

    [Fact]
    public void ModelFactory_SameSeedOnConcurrentThreads_BitwiseIdenticalWeights()
    {
        const int threads = 4;
        var hashes = new string[threads];
        using var barrier = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            // Global-RNG traffic from another thread while the models are initialised.
            using var noise = rand(1000);
            using var model = ModelFactory.Create(ModelKind.PaperCnn, seed: 42);
            hashes[i] = Hash(model);
        })).ToArray();

        foreach (var worker in workers)
        {
            worker.Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.All(hashes, h => Assert.Equal(hashes[0], h));
    }

    [Fact]
    public void ModelFactory_DifferentSeeds_DifferentWeights()
    {
        using var a = ModelFactory.Create(ModelKind.PaperCnn, seed: 1);
        using var b = ModelFactory.Create(ModelKind.PaperCnn, seed: 2);

        Assert.NotEqual(Hash(a), Hash(b));
    }

    [Fact]
    public void ModelFactory_Initialisation_UniformWithinDefaultFanInBound()
    {
        using var model = ModelFactory.Create(ModelKind.PaperCnn, seed: 3);
        var fc1 = model.named_parameters().Single(p => p.name.EndsWith("fc1.weight", StringComparison.Ordinal)).parameter;

        var values = MemoryMarshal.Cast<byte, float>(fc1.bytes);
        var bound = 1 / Math.Sqrt(1600);
        var max = Vectors.MaxAbs(values);
        var std = Math.Sqrt(values.ToArray().Select(v => (double)v * v).Average());

        Assert.True(max <= bound, $"max |w| {max} exceeds 1/sqrt(fan_in) = {bound}");
        Assert.InRange(std, 0.97 * bound / Math.Sqrt(3), 1.03 * bound / Math.Sqrt(3));
    }

    [Fact]
    public void AlexNetCifar_Dropout_FollowsGeneratorInTrainAndIsOffInEval()
    {
        using var generatorA = new Generator(5);
        using var generatorB = new Generator(5);
        using var generatorC = new Generator(6);
        using var a = ModelFactory.Create(ModelKind.AlexNet, seed: 1, generatorA);
        using var b = ModelFactory.Create(ModelKind.AlexNet, seed: 1, generatorB);
        using var c = ModelFactory.Create(ModelKind.AlexNet, seed: 1, generatorC);
        using var scope = NewDisposeScope();
        using var inputGenerator = new Generator(9);
        var input = randn([2, 3, 32, 32], generator: inputGenerator);

        var trainA = a.forward(input);
        var trainB = b.forward(input);
        var trainC = c.forward(input);
        a.eval();
        c.eval();
        var evalA = a.forward(input);
        var evalC = c.forward(input);

        Assert.True(Same(trainA, trainB), "same generator seed, different dropout masks");
        Assert.False(Same(trainA, trainC), "different generator seeds, same dropout masks");
        Assert.True(Same(evalA, evalC), "eval mode still applies dropout");
        Assert.False(Same(evalA, trainA), "train mode applies no dropout");
    }

    private static bool Same(Tensor a, Tensor b) => a.data<float>().ToArray().AsSpan().SequenceEqual(b.data<float>().ToArray());

    private static string Hash(nn.Module model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var parameter in model.parameters())
        {
            hash.AppendData(parameter.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
