using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansRing.Api.Contracts;

namespace OrleansRing.Api.Client;

/// <summary>
/// The HTTP API from .NET: what `orleansring ... --server URL` uses instead of an Orleans client connection.
/// Every call sends the bearer token; a refusal is an <see cref="ApiProblemException"/> with the server's problems.
/// </summary>
public sealed class OrleansRingApiClient : IDisposable
{
    /// <summary>The variable the command line reads the token from when --token is not given.</summary>
    public const string TokenEnvironmentVariable = "ORLEANSRING_API_TOKEN";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private readonly HttpClient _http;

    public OrleansRingApiClient(Uri server, string token, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        _http.Timeout = Timeout.InfiniteTimeSpan; // the events stream lasts as long as the sweep
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<SubmissionResponse> SubmitSweepAsync(string sweepFile, CancellationToken cancellationToken) =>
        SubmitSweepAsync(sweepFile, retryFailed: false, cancellationToken);

    /// <summary>Submits a sweep file; with <paramref name="retryFailed"/>, a sweep that is not running runs its failed (or cancelled) experiments again from scratch.</summary>
    public Task<SubmissionResponse> SubmitSweepAsync(string sweepFile, bool retryFailed, CancellationToken cancellationToken) =>
        SubmitAsync(retryFailed ? "api/sweeps?retryFailed=true" : "api/sweeps", sweepFile, cancellationToken);

    public Task<SubmissionResponse> SubmitRunAsync(string runOptions, CancellationToken cancellationToken) =>
        SubmitAsync("api/runs", runOptions, cancellationToken);

    public Task<SweepStatusResponse> GetStatusAsync(string id, CancellationToken cancellationToken) =>
        GetJsonAsync<SweepStatusResponse>($"api/sweeps/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<IReadOnlyList<SweepStatusResponse>> ListAsync(CancellationToken cancellationToken) =>
        GetJsonAsync<IReadOnlyList<SweepStatusResponse>>("api/sweeps", cancellationToken);

    public Task<IReadOnlyList<PluginResponse>> GetPluginsAsync(CancellationToken cancellationToken) =>
        GetJsonAsync<IReadOnlyList<PluginResponse>>("api/plugins", cancellationToken);

    public async Task<SweepStatusResponse> CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"api/sweeps/{Uri.EscapeDataString(id)}/cancel", content: null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<SweepStatusResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file of the sweep, relative to it: "summary.csv", "report/report.html", "experiments/ID/result.json".</summary>
    public async Task<byte[]> GetFileAsync(string id, string relativePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        using var response = await _http.GetAsync($"api/sweeps/{Uri.EscapeDataString(id)}/{relativePath}", cancellationToken).ConfigureAwait(false);
        await ThrowIfRefusedAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status on every change, from the server-sent-events stream, ending with the sweep.</summary>
    public async IAsyncEnumerable<(string Event, SweepStatusResponse Status)> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/sweeps/{Uri.EscapeDataString(id)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfRefusedAsync(response, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream, (type, data) => JsonSerializer.Deserialize<SweepStatusResponse>(data, s_json)!).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (item.EventType, item.Data);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<SubmissionResponse> SubmitAsync(string path, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var content = new StringContent(text, Encoding.UTF8, "application/yaml");
        using var response = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<SubmissionResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfRefusedAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(s_json, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiProblemException((int)response.StatusCode, $"{response.RequestMessage?.RequestUri}: an empty answer", []);
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string detail;
        IReadOnlyList<ProblemEntry> problems = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            detail = root.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : body;
            if (root.TryGetProperty(Api.SweepProblems.ProblemsExtension, out var list))
            {
                problems = list.Deserialize<List<ProblemEntry>>(s_json) ?? [];
            }
        }
        catch (JsonException)
        {
            detail = body.Length > 200 ? body[..200] : body;
        }
        var status = (int)response.StatusCode;
        var what = response.StatusCode == HttpStatusCode.Unauthorized ? "401 Unauthorized (check --token or " + TokenEnvironmentVariable + ")" : $"{status} {response.ReasonPhrase}";
        throw new ApiProblemException(status, $"{what}: {detail}", problems);
    }
}
