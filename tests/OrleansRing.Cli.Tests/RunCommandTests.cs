using System.Globalization;
using System.Text.Json;

namespace OrleansRing.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"orleansring-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Run_OnSyntheticData_Learns_AndWritesBothResultFiles()
    {
        var (exit, output, error) = await CliProcess.RunAsync("run", "--workers", "4", "--epochs", "3", "--eval-interval", "8", "--out", _out, "--quiet");

        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "result.json"), TestContext.Current.CancellationToken));
        var root = result.RootElement.GetProperty("result");
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.True(root.GetProperty("syntheticData").GetBoolean());
        Assert.True(root.GetProperty("replicasIdentical").GetBoolean());
        var accuracy = root.GetProperty("finalTestAccuracy").GetDouble();
        Assert.True(accuracy > 0.4, $"synthetic test accuracy {accuracy:P1} is not well above the 10 % of chance");
        Assert.Equal(4, root.GetProperty("parameterHashes").GetArrayLength());
        Assert.Equal(4, root.GetProperty("bytesSentPerWorker").EnumerateArray().Count(b => b.GetInt64() > 0));
        Assert.False(string.IsNullOrEmpty(result.RootElement.GetProperty("versions").GetProperty("orleans").GetString()));

        var lines = await File.ReadAllLinesAsync(Path.Combine(_out, "metrics.csv"), TestContext.Current.CancellationToken);
        var iterations = root.GetProperty("totalIterations").GetInt32();
        Assert.Equal("iteration,epoch,train_loss,train_accuracy,test_loss,test_accuracy,replicas_identical,seconds,compute_seconds,ring_seconds,bytes_sent,defence_bytes_sent,defence_seconds,detections,ring_size", lines[0]);
        Assert.Equal(iterations + 1, lines.Length);
        var header = lines[0].Split(',');
        var last = lines[^1].Split(',');
        Assert.Equal(header.Length, last.Length);
        Assert.Equal(accuracy, double.Parse(last[Array.IndexOf(header, "test_accuracy")], CultureInfo.InvariantCulture));
        Assert.Contains("replicas identical", output);
    }

    [Theory]
    [InlineData("--workers", "0", "workers must be in [1, 1024], got 0")]
    [InlineData("--partition", "dirichlet:-1", "--partition")]
    [InlineData("--model", "resnet", "resnet")]
    [InlineData("--data", "no/such/cifar", "is neither a file nor a folder")]
    [InlineData("--attack", "gradient-flopping", "Available attacks: alie")]
    [InlineData("--retention", "keep-last:0", "--retention")]
    [InlineData("--device", "tpu", "--device: Device 'tpu' is not one of auto, cpu, cuda or cuda:INDEX")]
    [InlineData("--device", "cuda:0", "--device: CUDA requested (cuda:0) but TorchSharp reports no CUDA device")]
    public async Task Run_WithBadOptions_ExitsNonZero_WithOneLineReason(string option, string value, string expected)
    {
        var (exit, output, error) = await CliProcess.RunAsync("run", option, value, "--out", _out);

        Assert.Equal(2, exit);
        var reason = error.Trim();
        Assert.Contains(expected, reason);
        Assert.DoesNotContain('\n', reason);
        Assert.False(File.Exists(Path.Combine(_out, "result.json")), output);
    }

    [Fact]
    public async Task Run_WithCorruptCifarData_FailsNamingTheFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_out, "cifar-10-batches-bin")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "data_batch_1.bin"), new byte[3073 * 2 + 100], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(folder, "test_batch.bin"), new byte[3073], TestContext.Current.CancellationToken);

        var (exit, _, error) = await CliProcess.RunAsync("run", "--data", folder, "--workers", "2", "--out", Path.Combine(_out, "run"));

        Assert.Equal(2, exit);
        Assert.Contains("data_batch_1.bin", error);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var (exit, output, _) = await CliProcess.RunAsync("--help");
        var (benchExit, benchOutput, _) = await CliProcess.RunAsync("bench", "allreduce", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("run", output);
        Assert.Contains("bench", output);
        Assert.Equal(0, benchExit);
        Assert.Contains("--floats", benchOutput);
    }

    [Fact]
    public async Task BenchAllReduce_Json_ReportsConsistentFigures()
    {
        var (exit, output, error) = await CliProcess.RunAsync("bench", "allreduce", "--workers", "4", "--floats", "10000", "--repeat", "3", "--json");

        Assert.True(exit == 0, error);
        using var figures = JsonDocument.Parse(output);
        var median = figures.RootElement.GetProperty("medianSeconds").GetDouble();
        Assert.InRange(median, figures.RootElement.GetProperty("minSeconds").GetDouble(), figures.RootElement.GetProperty("maxSeconds").GetDouble());
        Assert.Equal(10_000 * 4 / median / 1e9, figures.RootElement.GetProperty("algorithmBandwidthGBps").GetDouble(), 6);
    }
}
