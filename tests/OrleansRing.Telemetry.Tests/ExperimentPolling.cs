using OrleansRing.Abstractions;

namespace OrleansRing.Telemetry.Tests;

internal static class ExperimentPolling
{
    /// <summary>Starts an experiment and polls it to its end.</summary>
    public static async Task<ExperimentResult> RunToEndAsync(IGrainFactory grains, ExperimentConfig config)
    {
        var coordinator = grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await coordinator.StartAsync(config);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (status.State == ExperimentState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{config.ExperimentId} still running: {status.IterationsCompleted}/{status.TotalIterations}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = await coordinator.GetStatusAsync();
        }
        return await coordinator.GetResultAsync() ?? throw new InvalidOperationException($"{config.ExperimentId}: no result");
    }
}
