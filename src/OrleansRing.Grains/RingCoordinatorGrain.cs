using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansRing.Abstractions;
using OrleansRing.Data;
using OrleansRing.Grains.Data;

namespace OrleansRing.Grains;

/// <summary>
/// Creates the ring for one experiment (ranks 0..N−1, successor (r + 1) mod N), hands every worker its
/// shard, then drives iterations: all workers run an iteration at once and the coordinator only waits
/// for their reports, which is the barrier between iterations. It never sees a gradient.
/// </summary>
public sealed partial class RingCoordinatorGrain(
    IDatasetCatalog datasets,
    ILogger<RingCoordinatorGrain> logger) : Grain, IRingCoordinatorGrain
{
    private readonly List<IterationMetrics> _metrics = [];
    private readonly Stopwatch _clock = new();
    private ExperimentConfig? _config;
    private ExperimentState _state = ExperimentState.NotStarted;
    private IWorkerGrain[] _workers = [];
    private long[] _bytesSent = [];
    private int _totalIterations;
    private int _parameterCount;
    private LoadedDataset? _data;
    private string? _error;
    private ExperimentResult? _result;
    private double? _lastTestAccuracy;

    public async Task<ExperimentStatus> StartAsync(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ExperimentId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Coordinator {this.GetPrimaryKeyString()} was handed experiment {config.ExperimentId}.", nameof(config));
        }
        if (_config is not null)
        {
            // Starting the same experiment twice attaches to it; a different config under one id is a mistake.
            return _config == config
                ? await GetStatusAsync()
                : throw new InvalidOperationException($"Experiment {config.ExperimentId} was already started with a different configuration.");
        }
        ExperimentConfigValidator.ThrowIfInvalid(config);

        _config = config;
        _clock.Start();
        try
        {
            _data = await datasets.GetAsync(config.Data);
            var train = _data.Split.Train;
            if (train.Count < config.Workers)
            {
                throw new ArgumentException($"{config.Workers} workers need at least {config.Workers} training images; {train.Count} available.");
            }
            var shards = config.Partition == PartitionScheme.Dirichlet
                ? DataPartitioner.Dirichlet(train.Labels, train.ClassCount, config.Workers, config.DirichletAlpha, config.DataSeed)
                : DataPartitioner.Iid(train.Count, config.Workers, config.DataSeed);
            _totalIterations = config.Iterations > 0
                ? config.Iterations
                : Math.Max(1, (int)Math.Ceiling(config.Epochs * shards.Average(s => s.Length) / config.BatchSize));

            _workers = [.. Enumerable.Range(0, config.Workers).Select(rank => GrainFactory.GetGrain<IWorkerGrain>(WorkerKey.For(config.ExperimentId, rank)))];
            _bytesSent = new long[config.Workers];
            var counts = await Task.WhenAll(_workers.Select((worker, rank) =>
                worker.InitializeAsync(new WorkerAssignment { Config = config, Rank = rank, Shard = shards[rank] })));
            if (counts.Distinct().Count() != 1)
            {
                throw new InvalidOperationException($"Workers built models of different sizes: {string.Join(", ", counts)}.");
            }
            _parameterCount = counts[0];
        }
        catch (Exception ex)
        {
            Fail(ex);
            throw;
        }

        _state = ExperimentState.Running;
        DelayDeactivation(TimeSpan.FromDays(1));
        LogStarted(logger, config.ExperimentId, config.Workers, _totalIterations, _parameterCount);
        _ = RunAsync(config);
        return await GetStatusAsync();
    }

    public Task<ExperimentStatus> GetStatusAsync()
    {
        var last = _metrics.Count > 0 ? _metrics[^1] : null;
        return Task.FromResult(new ExperimentStatus
        {
            State = _state,
            IterationsCompleted = _metrics.Count,
            TotalIterations = _totalIterations,
            TrainLoss = last?.TrainLoss,
            TrainAccuracy = last?.TrainAccuracy,
            TestAccuracy = _lastTestAccuracy,
            Error = _error,
            ElapsedSeconds = _clock.Elapsed.TotalSeconds,
        });
    }

    public Task<ExperimentResult?> GetResultAsync() => Task.FromResult(_result);

    private async Task RunAsync(ExperimentConfig config)
    {
        try
        {
            string[] hashes = [];
            var agree = false;
            double? testLoss = null;
            for (var iteration = 0; iteration < _totalIterations; iteration++)
            {
                var clock = Stopwatch.StartNew();
                var reports = await Task.WhenAll(_workers.Select(w => w.RunIterationAsync(iteration)));
                foreach (var report in reports)
                {
                    _bytesSent[report.Rank] += report.BytesSent;
                }
                var samples = reports.Sum(r => r.Samples);
                var row = new IterationMetrics
                {
                    Iteration = iteration,
                    Epoch = (iteration + 1) * (double)config.BatchSize * config.Workers / _data!.Split.Train.Count,
                    TrainLoss = reports.Sum(r => r.Loss * r.Samples) / samples,
                    TrainAccuracy = reports.Sum(r => (double)r.Correct) / samples,
                    Seconds = clock.Elapsed.TotalSeconds,
                    ComputeSeconds = reports.Max(r => r.ComputeSeconds),
                    RingSeconds = reports.Max(r => r.RingSeconds),
                    BytesSent = reports.Sum(r => r.BytesSent),
                };
                var last = iteration == _totalIterations - 1;
                if (last || (iteration + 1) % config.EvaluationInterval == 0)
                {
                    (hashes, agree, testLoss, _lastTestAccuracy) = await EvaluateAsync();
                    row = row with { TestLoss = testLoss, TestAccuracy = _lastTestAccuracy, ReplicasIdentical = agree };
                }
                _metrics.Add(row);
            }
            _clock.Stop();
            _state = ExperimentState.Completed;
            _result = BuildResult(config, hashes, agree, testLoss);
            LogCompleted(logger, config.ExperimentId, _lastTestAccuracy ?? double.NaN, _clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            await ReleaseWorkersAsync();
        }
    }

    /// <summary>
    /// Compares replicas by parameter hash and evaluates one replica per distinct hash: identical replicas
    /// have identical accuracy, so an agreeing ring costs one evaluation, a divergent one is measured per group.
    /// </summary>
    private async Task<(string[] Hashes, bool Agree, double Loss, double Accuracy)> EvaluateAsync()
    {
        var hashes = await Task.WhenAll(_workers.Select(w => w.GetParameterHashAsync()));
        var groups = hashes.Select((hash, rank) => (hash, rank)).GroupBy(h => h.hash).ToList();
        var evaluations = await Task.WhenAll(groups.Select(g => _workers[g.First().rank].EvaluateAsync()));
        var loss = 0.0;
        var accuracy = 0.0;
        for (var g = 0; g < groups.Count; g++)
        {
            var weight = groups[g].Count() / (double)hashes.Length;
            loss += weight * evaluations[g].Loss;
            accuracy += weight * evaluations[g].Accuracy;
        }
        return (hashes, groups.Count == 1, loss, accuracy);
    }

    private ExperimentResult BuildResult(ExperimentConfig config, string[] hashes, bool agree, double? testLoss) => new()
    {
        Config = config,
        State = _state,
        Error = _error,
        Dataset = _data?.Split.Description ?? "not loaded",
        SyntheticData = _data?.Split.IsSynthetic ?? config.Data.Kind == DataSourceKind.Synthetic,
        ParameterCount = _parameterCount,
        TotalIterations = _totalIterations,
        Iterations = [.. _metrics],
        ParameterHashes = hashes,
        ReplicasIdentical = agree,
        FinalTestAccuracy = _state == ExperimentState.Completed ? _lastTestAccuracy : null,
        FinalTestLoss = _state == ExperimentState.Completed ? testLoss : null,
        WallSeconds = _clock.Elapsed.TotalSeconds,
        BytesSentPerWorker = [.. _bytesSent],
        TrainSamples = _data?.Split.Train.Count ?? 0,
        TestSamples = _data?.EvaluationSet.Count ?? 0,
    };

    private void Fail(Exception ex)
    {
        _clock.Stop();
        _state = ExperimentState.Failed;
        _error = Describe(ex);
        _result = BuildResult(_config!, [], false, null);
        LogFailed(logger, ex, _config!.ExperimentId, _error);
    }

    private async Task ReleaseWorkersAsync()
    {
        try
        {
            await Task.WhenAll(_workers.Select(w => w.ReleaseAsync()));
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, _config!.ExperimentId);
        }
    }

    private static string Describe(Exception ex)
    {
        var root = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : ex;
        return root.InnerException is { } inner && root is not ArgumentException ? $"{root.Message} ({inner.Message})" : root.Message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId}: {Workers} workers, {Iterations} iterations, {Parameters} parameters")]
    private static partial void LogStarted(ILogger logger, string experimentId, int workers, int iterations, int parameters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} completed: test accuracy {Accuracy:P1} in {Seconds:0.0} s")]
    private static partial void LogCompleted(ILogger logger, string experimentId, double accuracy, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experimentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId}: releasing workers failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string experimentId);
}
