using Microsoft.AspNetCore.Http;

namespace OrleansRing.Api;

/// <summary>
/// Middleware in front of every API and OpenAPI path: a request without an accepted bearer token is answered 401
/// (problem details, <c>WWW-Authenticate: Bearer</c>) before its endpoint runs or its body is read. The health
/// endpoints and the page's static HTML (which holds no data; its scripts send the token) stay open.
/// </summary>
public sealed class BearerTokenGate(RequestDelegate next, ApiTokens tokens)
{
    public static bool IsProtected(PathString path) =>
        path.StartsWithSegments(OrleansRingApi.ApiPrefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(OrleansRingApi.OpenApiPrefix, StringComparison.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsProtected(context.Request.Path))
        {
            return next(context);
        }
        var presented = ApiTokens.FromAuthorizationHeader(context.Request.Headers.Authorization);
        if (tokens.Accepts(presented))
        {
            return next(context);
        }
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"orleansring\"";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: presented is null
                ? "This API needs a bearer token: send 'Authorization: Bearer TOKEN'."
                : "The bearer token is not one this host accepts.").ExecuteAsync(context);
    }
}
