using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OrleansRing.Abstractions;
using OrleansRing.Cli.Output;
using OrleansRing.Data;
using OrleansRing.Hosting;
using OrleansRing.Results;
using OrleansRing.Storage;
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
        var persistence = new BenchPersistenceOptions(ChunkPersistence.Async, $"what `run` uses (chunks every iteration, a checkpoint every {ExperimentConfig.DefaultCheckpointInterval})");
        var command = new Command("train", "Training throughput: the ring against one process on the same global batch.")
        {
            workers, batch, iterations, model, json,
        };
        persistence.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string Name = "orleansring bench train";
            var n = parse.GetValue(workers);
            var b = parse.GetValue(batch);
            var k = parse.GetValue(iterations);
            if (n < 1 || b < 1 || k < 1)
            {
                await Console.Error.WriteLineAsync($"{Name}: --workers, --batch and --iterations must be ≥ 1.");
                return OrleansRingCommandLine.BadInput;
            }
            var (choice, exitCode) = await persistence.ResolveAndOpenAsync(parse, Name, cancellationToken);
            if (choice is null)
            {
                return exitCode;
            }
            var (mode, storeOptions, compare, store) = choice;
            var architecture = parse.GetValue(model) == "alexnet" ? ModelArchitecture.AlexNet : ModelArchitecture.PaperCnn;
            TrainFigures figures;
            try
            {
                figures = await MeasureAsync(architecture, n, b, k, mode, storeOptions, store, compare, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"{Name}: {ErrorText.OneLine(ex)}");
                return OrleansRingCommandLine.RunFailed;
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(figures, ResultFiles.JsonOptions));
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("setting", "global batch", "samples/s", "ratio");
                if (figures.RingSamplesPerSecondWithoutPersistence is { } offRate)
                {
                    table.AddRow($"ring, {n} workers × {b}, persistence off", $"{n * b}", $"{offRate:0.0}", $"{offRate / figures.SingleProcessSamplesPerSecond:0.00}");
                }
                table.AddRow($"ring, {n} workers × {b}, persistence {figures.Persistence}", $"{n * b}", $"{figures.RingSamplesPerSecond:0.0}", $"{figures.Ratio:0.00}");
                table.AddRow($"one process, {figures.SingleProcessThreads} threads", $"{n * b}", $"{figures.SingleProcessSamplesPerSecond:0.0}", "1.00");
                AnsiConsole.Write(table);
                if (figures.Store is { } endpoint)
                {
                    Console.WriteLine($"store: {endpoint}");
                }
                if (figures.PersistenceRatio is { } ratio)
                {
                    Console.WriteLine($"{figures.Persistence} ÷ off (samples/s): {ratio:0.00}");
                }
            }
            return OrleansRingCommandLine.Success;
        });
        return command;
    }

    /// <summary>
    /// The ring's samples/s (with <paramref name="compare"/>, also with persistence off) and one process's. With
    /// persistence, <paramref name="storeOptions"/> configure the silo's store and <paramref name="store"/> (the
    /// same store) deletes what the run wrote; both are null only with persistence off.
    /// </summary>
    public static async Task<TrainFigures> MeasureAsync(
        ModelArchitecture model,
        int workers,
        int batch,
        int iterations,
        ChunkPersistence persistence,
        ChunkStoreOptions? storeOptions,
        IChunkStore? store,
        bool compare,
        CancellationToken cancellationToken)
    {
        if (persistence != ChunkPersistence.Off && (storeOptions is null || store is null))
        {
            throw new ArgumentException($"Persistence {persistence} needs the chunk store.", nameof(store));
        }
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
            Persistence = persistence,
        };

        double ringRate;
        double? offRate = null;
        var offConfig = config with { ExperimentId = $"bench-train-{Guid.NewGuid():N}", Persistence = ChunkPersistence.Off };
        try
        {
            await using var cluster = await EmbeddedCluster.StartAsync(chunkStore: storeOptions, cancellationToken: cancellationToken);
            if (compare)
            {
                offRate = await RingRateAsync(cluster.Client, offConfig, globalBatch, cancellationToken);
            }
            ringRate = await RingRateAsync(cluster.Client, config, globalBatch, cancellationToken);
        }
        finally
        {
            // Only once the silo has stopped: a coordinator may still be saving its manifest when its run reads as completed.
            if (persistence != ChunkPersistence.Off)
            {
                await BenchAllReduceCommand.DeleteQuietlyAsync(store!, config.ExperimentId);
            }
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
        return new TrainFigures(
            workers,
            batch,
            iterations,
            ringRate,
            singleRate,
            threads,
            ringRate / singleRate,
            BenchPersistenceOptions.Name(persistence),
            persistence == ChunkPersistence.Off ? null : store!.Endpoint,
            offRate,
            ringRate / offRate);
    }

    /// <summary>Samples/s of one run, its first iteration left out as warm-up.</summary>
    private static async Task<double> RingRateAsync(IGrainFactory grains, ExperimentConfig config, int globalBatch, CancellationToken cancellationToken)
    {
        var result = await ExperimentRunner.RunAsync(grains, config, showProgress: false, cancellationToken);
        if (result.State != ExperimentState.Completed)
        {
            throw new InvalidOperationException($"The ring benchmark run (persistence {BenchPersistenceOptions.Name(config.Persistence)}) failed: {result.Error}");
        }
        var timed = result.Iterations.Skip(1).ToList();
        return timed.Count * globalBatch / timed.Sum(r => r.Seconds);
    }
}
