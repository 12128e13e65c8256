using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using OrleansRing.Api.Contracts;
using OrleansRing.Grains.Attacks;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Results;
using OrleansRing.Reporting;
using OrleansRing.Sweeps;

namespace OrleansRing.Api;

/// <summary>
/// The endpoints under /api. Runs are sweeps of one experiment, so /api/runs/{id} answers from the same store as
/// /api/sweeps/{id}. Bodies are the command line's formats (a sweep file; a run's options as one mapping), in YAML
/// or JSON (JSON is YAML), and are rejected with the command line's messages.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The files of one experiment that can be fetched, with their media types.</summary>
    private static readonly Dictionary<string, string> s_experimentFiles = new(StringComparer.Ordinal)
    {
        [ResultFiles.ResultFileName] = "application/json",
        [ResultFiles.MetricsFileName] = "text/csv",
        [SweepReport.TimelineFileName] = "application/json",
        [SweepFolder.ErrorFileName] = "text/plain",
    };

    private static readonly Dictionary<string, string> s_reportTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".html"] = "text/html",
        [".md"] = "text/markdown",
    };

    private static readonly string[] s_textTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/plugins", ListPlugins).WithSummary("The attack and defence plugins in the silo's plugins folder, with their parameters.");

        api.MapPost("/sweeps", (HttpRequest request, SweepJobs jobs, CancellationToken ct) => SubmitAsync(request, jobs, isRun: false, ct))
            .WithSummary("Submit a sweep file (YAML or JSON). The same grid again attaches to the existing sweep (200) instead of starting one (201); with ?retryFailed=true its failed (or cancelled) experiments run again from scratch.")
            .WithDescription("The body is the sweep file as the command line takes it, with Content-Type application/yaml or application/json; anything else is 415.")
            .Produces<SubmissionResponse>(StatusCodes.Status201Created)
            .Produces<SubmissionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/sweeps", (SweepJobs jobs) => TypedResults.Ok(jobs.List())).WithSummary("Every sweep and run, newest first.");
        api.MapGet("/sweeps/{id}", Status).WithSummary("Done / running / failed counts, ETA and each experiment's state.").Produces<SweepStatusResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/sweeps/{id}/cancel", CancelAsync).WithSummary("Cancel a running sweep: its running experiments stop on the cluster, no more start.").Produces<SweepStatusResponse>();
        api.MapGet("/sweeps/{id}/events", Events).WithSummary("Server-sent events: 'progress' with the status on every change, 'end' once it has ended.").Produces<SweepStatusResponse>(contentType: "text/event-stream");
        api.MapGet("/sweeps/{id}/summary.csv", (string id, SweepJobs jobs) => File(jobs, id, f => f.SummaryPath, "text/csv")).WithSummary("One row per experiment (written when the sweep ends).");
        api.MapGet("/sweeps/{id}/report/{**path}", ReportFile).WithSummary("The report: report.html, claims.md, figures (PNG, SVG), timelines/.");
        api.MapGet("/sweeps/{id}/experiments/{experimentId}/{file}", ExperimentFile).WithSummary("result.json, metrics.csv, timeline.json or error.txt of one experiment.");

        api.MapPost("/runs", (HttpRequest request, SweepJobs jobs, CancellationToken ct) => SubmitAsync(request, jobs, isRun: true, ct))
            .WithSummary("Submit one run: the run command's options as one mapping (YAML or JSON), e.g. {\"workers\": 4, \"iterations\": 8}.")
            .WithDescription("The body is one mapping of the run command's option names, with Content-Type application/yaml or application/json.")
            .Produces<SubmissionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/runs/{id}", Status).Produces<SweepStatusResponse>();
        api.MapPost("/runs/{id}/cancel", CancelAsync).Produces<SweepStatusResponse>();
        api.MapGet("/runs/{id}/events", Events);
        api.MapGet("/runs/{id}/{file}", (string id, string file, SweepJobs jobs) => ExperimentFile(id, id, file, jobs)).WithSummary("result.json, metrics.csv, timeline.json or error.txt of the run.");
    }

    private static IResult ListPlugins(PluginCatalogProvider plugins)
    {
        try
        {
            return TypedResults.Ok(plugins.Catalog.Plugins.Select(p => Describe(p.Descriptor)).ToList());
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The silo's plugins cannot be loaded", detail: ex.Message);
        }
    }

    private static PluginResponse Describe(PluginDescriptor descriptor) => new(
        descriptor.Name,
        descriptor.Kind.ToString().ToLowerInvariant(),
        descriptor.Description,
        descriptor.RequiresHonestGradients,
        descriptor.Reference,
        [.. descriptor.Parameters.Select(p => new PluginParameterResponse(p.Name, p.DescribeType(), p.DescribeDefault(), p.Description, p.AllowedValues))]);

    private static async Task<IResult> SubmitAsync(HttpRequest request, SweepJobs jobs, bool isRun, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetService(typeof(ApiOptions)) is ApiOptions options ? options.MaxRequestBytes : long.MaxValue;
        if (request.ContentType is { } contentType && !s_textTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            // In particular no assemblies: plugins come only from the silo's configured folder.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"'{contentType}' is not accepted: send the sweep file as application/yaml or application/json. Plugin assemblies are never accepted over the API; plugins come from the silo's plugins folder.");
        }
        if (request.ContentLength > limit)
        {
            // Refused before reading; Kestrel drains what the client still sends, so the client reads this answer.
            return TooLarge(limit);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit; // a chunked body without a length stops at the limit too
        }
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The submitted file cannot run", detail: "The request has no body: send the sweep file (or the run's options) as YAML or JSON.");
        }
        if (!TryReadRetryFailed(request, out var retryFailed))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad query", detail: $"retryFailed must be true or false, not '{request.Query[RetryFailedQuery]}'.");
        }
        SweepSubmission submission;
        try
        {
            submission = await jobs.SubmitAsync(text, isRun, retryFailed, cancellationToken).ConfigureAwait(false);
        }
        catch (SweepFileException ex)
        {
            return SweepProblems.ToProblem(ex);
        }
        catch (ApiLimitException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many at once", detail: ex.Message);
        }
        var collection = isRun ? "runs" : "sweeps";
        var statusUrl = $"{OrleansRingApi.ApiPrefix}/{collection}/{submission.Id}";
        var response = new SubmissionResponse(submission.Id, submission.Kind, submission.Attached, submission.Experiments, statusUrl, statusUrl + "/events");
        return submission.Attached ? TypedResults.Ok(response) : TypedResults.Created(statusUrl, response);
    }

    /// <summary>The query parameter asking a resubmission to run its failed experiments again.</summary>
    private const string RetryFailedQuery = "retryFailed";

    private static bool TryReadRetryFailed(HttpRequest request, out bool retryFailed)
    {
        retryFailed = false;
        var values = request.Query[RetryFailedQuery];
        return values.Count == 0 || (values.Count == 1 && bool.TryParse(values[0], out retryFailed));
    }

    private static IResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: $"The body is larger than the limit of {limit:N0} bytes ({ApiOptions.SectionName}:{nameof(ApiOptions.MaxRequestBytes)}).");

    private static IResult Status(string id, SweepJobs jobs) =>
        jobs.Status(id) is { } status ? TypedResults.Ok(status) : NotFound(id);

    private static async Task<IResult> CancelAsync(string id, SweepJobs jobs, HttpContext context) =>
        await jobs.CancelAsync(id, $"requested over the API from {context.Connection.RemoteIpAddress}").ConfigureAwait(false) is { } status
            ? TypedResults.Ok(status)
            : NotFound(id);

    private static IResult Events(string id, SweepJobs jobs, CancellationToken cancellationToken) =>
        jobs.Status(id) is null ? NotFound(id) : TypedResults.ServerSentEvents(jobs.WatchAsync(id, cancellationToken));

    private static IResult ReportFile(string id, string path, SweepJobs jobs)
    {
        if (!s_reportTypes.TryGetValue(Path.GetExtension(path), out var contentType))
        {
            return NotFound(id, path);
        }
        return File(jobs, id, folder =>
        {
            // Resolved and checked to lie inside the report folder: no "..", no absolute paths.
            var full = Path.GetFullPath(Path.Combine(folder.ReportFolder, path));
            return full.StartsWith(folder.ReportFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
        }, contentType);
    }

    private static IResult ExperimentFile(string id, string experimentId, string file, SweepJobs jobs)
    {
        if (!s_experimentFiles.TryGetValue(file, out var contentType) || !SweepJobs.IsSweepId(experimentId))
        {
            return NotFound(id, file);
        }
        return File(jobs, id, folder => Path.Combine(folder.ExperimentFolder(experimentId), file), contentType);
    }

    private static IResult File(SweepJobs jobs, string id, Func<SweepFolder, string?> pick, string contentType)
    {
        if (jobs.FolderOf(id) is not { } folder)
        {
            return NotFound(id);
        }
        var path = pick(folder);
        return path is not null && System.IO.File.Exists(path)
            ? TypedResults.PhysicalFile(path, contentType)
            : NotFound(id, path is null ? null : Path.GetFileName(path));
    }

    private static IResult NotFound(string id, string? file = null) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: file is null ? $"No sweep or run '{id}' in this host." : $"'{id}' has no {file} (yet).");
}
