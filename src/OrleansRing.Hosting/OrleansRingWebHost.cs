using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansRing.Storage;

namespace OrleansRing.Hosting;

/// <summary>
/// The silo's web host: an ASP.NET Core application in the same generic host (and service container) as the silo,
/// Kestrel on <see cref="HealthEndpointOptions.Address"/>:<see cref="HealthEndpointOptions.Port"/>, serving the health
/// endpoints. Built empty (no default configuration sources, logging or middleware) so the caller's configuration is
/// the only one; an HTTP API can map its endpoints on the same application.
/// </summary>
public static class OrleansRingWebHost
{
    /// <summary>
    /// A builder whose configuration is <paramref name="configuration"/>, listening on the health endpoint, with the
    /// silo's health checks registered. Add the silo (<c>UseOrleans</c>) to it, then <see cref="Build"/>.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IConfiguration configuration, HealthEndpointOptions health, string applicationName = "orleansring")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(health);
        health.Validate();
        var port = health.Port ?? throw new ArgumentException($"{HealthEndpointOptions.SectionName}:Port is needed for the web host.", nameof(health));
        var address = IPAddress.Parse(health.Address);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = applicationName, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        builder.Services.AddRoutingCore();
        AddSiloHealthChecks(builder.Services, health);
        return builder;
    }

    /// <summary>
    /// Liveness (the silo is not declared dead), startup and readiness (the silo is Active in membership; readiness
    /// also needs the chunk store to answer). Each check resolves the silo's services when probed.
    /// </summary>
    public static IHealthChecksBuilder AddSiloHealthChecks(IServiceCollection services, HealthEndpointOptions health)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(health);
        var timeLimit = health.StoreCheckTimeout;
        return services.AddHealthChecks()
            .Add(new HealthCheckRegistration("silo-alive", s => new SiloMembershipHealthCheck(s, requireActive: false), failureStatus: null, tags: [SiloHealthTags.Live]))
            .Add(new HealthCheckRegistration("silo-active", s => new SiloMembershipHealthCheck(s, requireActive: true), failureStatus: null, tags: [SiloHealthTags.Startup, SiloHealthTags.Ready]))
            .Add(new HealthCheckRegistration("chunk-store", s => new ChunkStoreHealthCheck(s.GetRequiredService<IChunkStore>(), timeLimit), failureStatus: null, tags: [SiloHealthTags.Ready]));
    }

    /// <summary>Builds the application and maps <see cref="HealthEndpointOptions.LivePath"/>, <see cref="HealthEndpointOptions.ReadyPath"/> and <see cref="HealthEndpointOptions.StartupPath"/>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        MapHealthEndpoints(app);
        return app;
    }

    /// <summary>200 with "Healthy" when every check of the probe's tag passes, else 503; one line per check follows.</summary>
    public static void MapHealthEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Map(app, HealthEndpointOptions.LivePath, SiloHealthTags.Live);
        Map(app, HealthEndpointOptions.ReadyPath, SiloHealthTags.Ready);
        Map(app, HealthEndpointOptions.StartupPath, SiloHealthTags.Startup);
    }

    private static void Map(WebApplication app, string path, string tag) =>
        app.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(tag),
            ResponseWriter = WriteReportAsync,
        });

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(": ").Append(entry.Status).Append(": ").Append(entry.Description).Append('\n');
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
