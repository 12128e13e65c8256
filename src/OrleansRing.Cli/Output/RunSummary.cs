using OrleansRing.Abstractions;
using Spectre.Console;

namespace OrleansRing.Cli.Output;

public static class RunSummary
{
    public static void Print(ExperimentResult result, (string ResultPath, string MetricsPath) files)
    {
        ArgumentNullException.ThrowIfNull(result);
        var config = result.Config;
        var last = result.Iterations.Count > 0 ? result.Iterations[^1] : null;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.Title = new TableTitle($"{Markup.Escape(config.ExperimentId)}: {result.State.ToString().ToLowerInvariant()}");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("model", $"{config.Model} ({result.ParameterCount:N0} parameters)");
        Row("ring", $"{config.Workers} workers, batch {config.BatchSize} each ({config.Workers * config.BatchSize} global)");
        Row("data", result.Dataset);
        Row("partition", config.Partition == PartitionScheme.Dirichlet ? $"Dirichlet α={config.DirichletAlpha}" : "IID");
        Row("iterations", $"{result.Iterations.Count} of {result.TotalIterations}");
        if (last is not null)
        {
            Row("final train loss / accuracy", $"{last.TrainLoss:0.0000} / {last.TrainAccuracy:P2}");
        }
        Row("final test loss / accuracy", result.FinalTestAccuracy is { } accuracy ? $"{result.FinalTestLoss:0.0000} / {accuracy:P2} on {result.TestSamples} images" : "n/a");
        Row("replicas identical", result.ParameterHashes.Count == 0 ? "n/a" : result.ReplicasIdentical ? $"yes ({result.ParameterHashes[0][..16]}…)" : $"NO: {result.ParameterHashes.Distinct().Count()} distinct parameter hashes");
        Row("bytes sent per worker", result.BytesSentPerWorker.Count > 0 ? $"{result.BytesSentPerWorker.Average() / 1e6:0.0} MB" : "n/a");
        Row("wall time", $"{result.WallSeconds:0.0} s");
        if (result.Defence is not null)
        {
            Row("defence", result.Defence);
            Row("defence extra bytes", $"{result.DefenceExtraBytesPerWorkerPerIteration:N0} per worker per iteration (declared {result.DeclaredDefenceExtraBytesPerWorkerPerIteration:N0}), {result.DefenceSeconds:0.00} s in the defence");
            Row("detections", result.Detections.Count == 0 ? "none" : $"{result.Detections.Count}: ranks {string.Join(',', result.Detections.Select(d => d.Rank).Distinct().Order())}; first: iteration {result.Detections[0].Iteration} rank {result.Detections[0].Rank}: {result.Detections[0].Reason}");
            Row("exclusions", result.Exclusions.Count == 0 ? "none" : string.Join("; ", result.Exclusions.Select(e => $"rank {e.Rank} after iteration {e.Iteration}")));
        }
        if (result.Error is not null)
        {
            Row("error", result.Error);
        }
        Row("result", files.ResultPath);
        Row("metrics", files.MetricsPath);
        AnsiConsole.Write(table);
    }
}
