using OrleansRing.Abstractions;

namespace OrleansRing.Grains.Tests;

internal static class ExperimentPolling
{
    /// <summary>Starts an experiment and polls it to its end, riding out a coordinator that moves silos.</summary>
    public static async Task<ExperimentResult> RunToEndAsync(IGrainFactory grains, ExperimentConfig config, TimeSpan? limit = null, Func<ExperimentStatus, Task>? onProgress = null)
    {
        var coordinator = grains.GetGrain<IRingCoordinatorGrain>(config.ExperimentId);
        var status = await coordinator.StartAsync(config);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(5));
        while (status.State == ExperimentState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{config.ExperimentId} still running: {status.IterationsCompleted}/{status.TotalIterations}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
            try
            {
                status = await coordinator.GetStatusAsync();
            }
            catch (Exception ex) when (ex is not ArgumentException)
            {
                continue; // The coordinator's silo was lost; the next call reactivates it elsewhere.
            }
            if (onProgress is not null)
            {
                await onProgress(status);
            }
        }
        return await coordinator.GetResultAsync() ?? throw new InvalidOperationException($"{config.ExperimentId}: no result");
    }

    /// <summary>Polls an experiment started elsewhere to its end, riding out a coordinator that moves silos.</summary>
    public static async Task<ExperimentResult> WaitForEndAsync(IRingCoordinatorGrain coordinator, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{coordinator.GetPrimaryKeyString()} still running");
            try
            {
                if ((await coordinator.GetStatusAsync()).State != ExperimentState.Running)
                {
                    return await coordinator.GetResultAsync() ?? throw new InvalidOperationException($"{coordinator.GetPrimaryKeyString()}: no result");
                }
            }
            catch (Exception ex) when (ex is not ArgumentException and not InvalidOperationException)
            {
                // The coordinator's silo was lost; the next call reactivates it elsewhere.
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
