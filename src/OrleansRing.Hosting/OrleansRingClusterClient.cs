using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OrleansRing.Hosting;

/// <summary>
/// An Orleans client of a running OrleansRing cluster (the counterpart of <see cref="EmbeddedCluster"/> when the
/// silos run elsewhere, e.g. <c>orleansring silo</c> processes). The first connection is retried for
/// <see cref="ClusterConnectionOptions.ConnectTimeout"/>, so a client may start before the silos; past that,
/// <see cref="ConnectAsync"/> throws <see cref="ClusterConnectionException"/> naming the clustering and endpoint.
/// </summary>
public sealed class OrleansRingClusterClient : IAsyncDisposable
{
    private static readonly TimeSpan s_retryPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly IHost _host;

    private OrleansRingClusterClient(IHost host, ClusterConnectionOptions options)
    {
        _host = host;
        Options = options;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public ClusterConnectionOptions Options { get; }

    public static async Task<OrleansRingClusterClient> ConnectAsync(
        ClusterConnectionOptions options,
        LogLevel minimumLogLevel = LogLevel.Warning,
        TelemetryOptions? telemetry = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddOrleansRingTelemetry(telemetry);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        // A client retrying its first connection logs every failed attempt; the one error below says it all.
        var quiet = minimumLogLevel < LogLevel.Warning ? minimumLogLevel : LogLevel.Critical;
        builder.Logging.AddFilter("Orleans", quiet);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", quiet);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        var deadline = DateTimeOffset.UtcNow + options.ConnectTimeout;
        Exception? lastFailure = null;
        builder.UseOrleansClient(client =>
        {
            client.UseOrleansRingClustering(options);
            client.AddActivityPropagation();
            client.UseConnectionRetryFilter(async (exception, token) =>
            {
                lastFailure = exception;
                if (DateTimeOffset.UtcNow + s_retryPause > deadline)
                {
                    return false;
                }
                await Task.Delay(s_retryPause, token).ConfigureAwait(false);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var cause = lastFailure ?? e;
            throw new ClusterConnectionException(
                $"Could not connect to {options.Describe()} within {options.ConnectTimeout.TotalSeconds:0} s: {cause.GetType().Name}: {OneLine(cause.Message)}",
                e);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new OrleansRingClusterClient(host, options);
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: a client whose gateways have all died would otherwise wait for them to answer.
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        try
        {
            await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _host.Dispose();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
