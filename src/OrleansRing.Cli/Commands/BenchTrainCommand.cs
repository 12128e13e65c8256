using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Data;
using OrleansRing.Hosting;
using OrleansRing.Training;
using Spectre.Console;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// `bench train`: samples/s of the ring (N workers × batch B, synthetic data, in-process silo) side by
/// side with one process training the same global batch N·B without the ring: the compute limit.
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var workers = new Option<int>("--workers", "-n") { Description = "Workers in the ring.", DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch") { Description = "Batch size per worker; the single process uses workers × batch.", DefaultValueFactory = _ => 64 };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations (after 1 warm-up).", DefaultValueFactory = _ => 10 };
        var model = new Option<string>("--model") { Description = "paper-cnn or alexnet.", DefaultValueFactory = _ => "paper-cnn" };
        model.AcceptOnlyFromAmong("paper-cnn", "alexnet");
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var command = new Command("train", "Training throughput: the ring against one process on the same global batch.")
        {
            workers, batch, iterations, model, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(workers);
            var b = parse.GetValue(batch);
            var k = parse.GetValue(iterations);
            if (n < 1 || b < 1 || k < 1)
            {
                await Console.Error.WriteLineAsync("orleansring bench train: --workers, --batch and --iterations must be ≥ 1.");
                return OrleansRingCommandLine.BadInput;
            }
            var architecture = parse.GetValue(model) == "alexnet" ? ModelArchitecture.AlexNet : ModelArchitecture.PaperCnn;
            var figures = await MeasureAsync(architecture, n, b, k, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(figures, ResultFiles.JsonOptions));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("setting", "global batch", "samples/s", "ratio");
                table.AddRow($"ring, {n} workers × {b}", $"{n * b}", $"{figures.RingSamplesPerSecond:0.0}", $"{figures.Ratio:0.00}");
                table.AddRow($"one process, {figures.SingleProcessThreads} threads", $"{n * b}", $"{figures.SingleProcessSamplesPerSecond:0.0}", "1.00");
                AnsiConsole.Write(table);
            }
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    public static async Task<TrainFigures> MeasureAsync(ModelArchitecture model, int workers, int batch, int iterations, CancellationToken cancellationToken)
    {
        var globalBatch = workers * batch;
        var trainCount = Math.Max(globalBatch * 4, 2048);
        var config = new ExperimentConfig
        {
            ExperimentId = $"bench-train-{Guid.NewGuid():N}",
            Model = model,
            Workers = workers,
            BatchSize = batch,
            Iterations = iterations + 1,
            EvaluationInterval = int.MaxValue,
            Data = new DataSourceSpec { Kind = DataSourceKind.Synthetic, SyntheticTrainCount = trainCount, SyntheticTestCount = 256 },
        };

        double ringRate;
        await using (var cluster = await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken))
        {
            var result = await ExperimentRunner.RunAsync(cluster.Client, config, showProgress: false, cancellationToken);
            if (result.State != ExperimentState.Completed)
            {
                throw new InvalidOperationException($"The ring benchmark run failed: {result.Error}");
            }
            var timed = result.Iterations.Skip(1).ToList();
            ringRate = timed.Count * globalBatch / timed.Sum(r => r.Seconds);
        }

        // The single process gets every core, as a user training without the ring would.
        var threads = Environment.ProcessorCount;
        TorchRuntime.SetIntraOpThreads(threads);
        var data = SyntheticCifar10.Create(trainCount, 256, config.Data.SyntheticSeed);
        using var single = new SingleProcessTrainer(new TrainingOptions { Model = model == ModelArchitecture.AlexNet ? ModelKind.AlexNet : ModelKind.PaperCnn }, data.Train);
        var random = new Random(1);
        int[] NextBatch() => [.. Enumerable.Range(0, globalBatch).Select(_ => random.Next(trainCount))];
        single.Step(NextBatch());
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            single.Step(NextBatch());
        }
        var singleRate = iterations * globalBatch / clock.Elapsed.TotalSeconds;
        return new TrainFigures(workers, batch, iterations, ringRate, singleRate, threads, ringRate / singleRate);
    }
}
