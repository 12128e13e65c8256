using System.Text.Json;

namespace OrleansRing.Cli.Tests;

/// <summary>`bench allreduce --persistence/--store/--compare`: figures, clean-up, and store errors reported, not hidden.</summary>
public sealed class BenchPersistenceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansring-bench-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task BenchAllReduce_Compare_ReportsOffAndModeAndTheirRatio_AndCleansUp()
    {
        var (exit, output, error) = await CliProcess.RunAsync(
            "bench", "allreduce", "--workers", "4", "--floats", "10000", "--repeat", "3", "--persistence", "reference", "--store", $"folder:{_folder}", "--compare", "--json");

        Assert.True(exit == 0, $"exit {exit}: {error}\n{output}");
        using var figures = JsonDocument.Parse(output);
        var off = figures.RootElement.GetProperty("off");
        var mode = figures.RootElement.GetProperty("mode");
        Assert.Equal("off", off.GetProperty("persistence").GetString());
        Assert.Equal(JsonValueKind.Null, off.GetProperty("store").ValueKind);
        Assert.Equal("reference", mode.GetProperty("persistence").GetString());
        Assert.Equal(Path.GetFullPath(_folder), mode.GetProperty("store").GetString());
        Assert.Equal(
            mode.GetProperty("medianSeconds").GetDouble() / off.GetProperty("medianSeconds").GetDouble(),
            figures.RootElement.GetProperty("ratio").GetDouble(),
            9);
        // The store was used (EnsureReachable created the folder) and the benchmark's chunks are gone again.
        Assert.True(Directory.Exists(_folder));
        Assert.Empty(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task BenchAllReduce_WithUnwritableStore_ExitsOne_NamingTheFolder()
    {
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);
        var store = Path.Combine(blocker, "chunks");

        var (exit, _, error) = await CliProcess.RunAsync("bench", "allreduce", "--workers", "2", "--floats", "100", "--repeat", "1", "--persistence", "sync", "--store", $"folder:{store}");

        Assert.Equal(1, exit);
        var reason = error.Trim();
        Assert.Contains($"Chunk folder {store} cannot be written", reason);
        Assert.DoesNotContain('\n', reason);
    }

    [Theory]
    [InlineData("--compare")]
    [InlineData("--store", "folder:somewhere")]
    public async Task BenchAllReduce_StoreOptionsWithoutPersistence_ExitTwo(params string[] options)
    {
        var (exit, _, error) = await CliProcess.RunAsync(["bench", "allreduce", "--floats", "100", .. options]);

        Assert.Equal(2, exit);
        Assert.Contains("needs --persistence sync, async or reference", error);
        Assert.False(Directory.Exists("somewhere"));
    }
}
