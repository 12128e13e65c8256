using OrleansRing.Data;

namespace OrleansRing.Training.Tests;

public sealed class TrainingDeviceTests
{
    [Theory]
    [InlineData("auto", TrainingDeviceKind.Auto, null, "auto")]
    [InlineData("CPU", TrainingDeviceKind.Cpu, null, "cpu")]
    [InlineData("cuda", TrainingDeviceKind.Cuda, null, "cuda")]
    [InlineData(" cuda:3 ", TrainingDeviceKind.Cuda, 3, "cuda:3")]
    public void Parse_ReadsEveryForm(string text, TrainingDeviceKind kind, int? index, string canonical)
    {
        var selection = TrainingDeviceSelection.Parse(text);

        Assert.Equal(kind, selection.Kind);
        Assert.Equal(index, selection.Index);
        Assert.Equal(canonical, selection.ToString());
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Parse_BadText_SaysWhatIsValid(string text)
    {
        var error = Assert.Throws<FormatException>(() => TrainingDeviceSelection.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(TrainingDeviceSelection.Forms, error.Message);
    }

    [Fact]
    public void Auto_IsCuda_ExactlyWhenTorchSharpReportsCuda()
    {
        var devices = TrainingDeviceSelection.Auto.Resolve();

        if (TorchRuntime.CudaDeviceCount == 0)
        {
            Assert.Equal([TrainingDevice.Cpu], devices);
        }
        else
        {
            Assert.Equal(Enumerable.Range(0, TorchRuntime.CudaDeviceCount).Select(TrainingDevice.Cuda), devices);
        }
    }

    [Fact]
    public void Cuda_WithoutACudaDevice_FailsNamingTheBuild()
    {
        Assert.SkipWhen(TorchRuntime.CudaDeviceCount > 0, "This machine has a CUDA device.");

        var error = Assert.Throws<TrainingDeviceUnavailableException>(() => TrainingDeviceSelection.Parse("cuda:0").Resolve());

        Assert.Contains("CUDA requested (cuda:0) but TorchSharp reports no CUDA device", error.Message);
        Assert.Contains(TorchRuntime.CudaBuildLoaded ? "sees no GPU" : "the CPU build of TorchSharp", error.Message);
    }

    [Fact]
    public void Trainer_OnEachAvailableDevice_StartsFromTheSameWeights_AndTrainsDeterministically()
    {
        TestThreads.UseOneIntraOpThread();
        var train = TestImages.Create(64, seed: 5, "device train");
        var options = new TrainingOptions { BatchSize = 8, Seed = 9 };
        using var reference = new WorkerTrainer(options, train, TestImages.Range(0, 64), rank: 0);
        foreach (var device in TrainingDeviceSelection.Auto.Resolve().Append(TrainingDevice.Cpu).Distinct())
        {
            using var trainer = new WorkerTrainer(options, train, TestImages.Range(0, 64), rank: 0, device: device);
            Assert.Equal(device, trainer.Device);
            // Weights are initialised on the host and then moved: equal bits on every device.
            Assert.Equal(reference.ExportParameters(), trainer.ExportParameters());

            var gradient = new float[trainer.ParameterCount];
            var metrics = trainer.ComputeGradient(0, gradient);
            trainer.ApplyGradient(gradient);
            Assert.Equal(8, metrics.Samples);
            Assert.Contains(gradient, g => g != 0);
            using var again = new WorkerTrainer(options, train, TestImages.Range(0, 64), rank: 0, device: device);
            var second = new float[again.ParameterCount];
            again.ComputeGradient(0, second);
            again.ApplyGradient(second);
            Assert.Equal(trainer.ParameterHash(), again.ParameterHash());
        }
    }
}
