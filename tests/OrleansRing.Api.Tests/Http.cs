using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansRing.Api.Tests;

/// <summary>Requests as any HTTP client sends them, and their JSON answers.</summary>
internal static class Http
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostYamlAsync(this HttpClient client, string path, string text) =>
        client.PostAsync(path, new StringContent(text, Encoding.UTF8, "application/yaml"), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json, TestContext.Current.CancellationToken))!;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
