using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansRing.Api;

/// <summary>
/// Puts the HTTP API on the silo's web host (<see cref="Hosting.OrleansRingWebHost"/>): <see cref="AddOrleansRingApi"/>
/// before the host is built, <see cref="MapOrleansRingApi"/> after. The API runs sweeps through the silo's own
/// grain factory, so it needs the silo (or a cluster client) in the same host.
/// </summary>
public static class OrleansRingApi
{
    public const string ApiPrefix = "/api";
    public const string OpenApiPrefix = "/openapi";
    public const string OpenApiPath = "/openapi/v1.json";

    /// <exception cref="ArgumentException">A setting is wrong or no usable token is configured (the message says which).</exception>
    public static WebApplicationBuilder AddOrleansRingApi(this WebApplicationBuilder builder, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ApiTokens(options.ResolveTokens()));
        builder.Services.AddSingleton<SweepJobs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SweepJobs>());
        builder.Services.AddRouting();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OrleansRing";
            document.Info.Description = "Runs and sweeps of ring all-reduce training experiments. Every /api path needs 'Authorization: Bearer TOKEN'.";
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return builder;
    }

    public static WebApplication MapOrleansRingApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<BearerTokenGate>();
        app.MapOpenApi(OpenApiPrefix + "/{documentName}.json");
        ApiEndpoints.Map(app.MapGroup(ApiPrefix));
        app.MapGet("/", ApiPage.Serve).ExcludeFromDescription();
        return app;
    }
}
