using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using OrleansRing.Api.Contracts;

namespace OrleansRing.Api.Tests;

[Collection(ApiHostCollection.Name)]
public sealed class ApiAuthenticationTests(ApiHost host)
{
    [Fact]
    public async Task A_Submission_WithoutOrWithAWrongToken_Is401_AndRunsNothing()
    {
        var sweep = SweepFiles.Tiny("auth-probe");
        using var anonymous = host.Anonymous();
        using var wrong = host.Authorized("not-the-token-0123456789");
        using var basic = host.Anonymous();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("user:test-token-0123456789abcdef"u8.ToArray()));

        foreach (var client in new[] { anonymous, wrong, basic })
        {
            using var response = await client.PostYamlAsync("api/sweeps", sweep);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Nothing was parsed into a sweep, let alone run: no results folder, nothing listed.
        Assert.False(Directory.Exists(host.ResultsFolder) && Directory.EnumerateDirectories(host.ResultsFolder, "auth-probe*").Any());
        using var authorized = host.Authorized();
        var listed = await (await authorized.GetAsync("api/sweeps", TestContext.Current.CancellationToken)).ReadAsync<List<SweepStatusResponse>>();
        Assert.DoesNotContain(listed, s => s.Name == "auth-probe");
    }

    [Fact]
    public async Task Every_Api_And_OpenApi_Path_NeedsAToken_WhileHealthAndThePageShell_StayOpen()
    {
        using var anonymous = host.Anonymous();
        var ct = TestContext.Current.CancellationToken;
        foreach (var path in new[] { "api/sweeps", "api/plugins", "api/sweeps/x/events", "api/runs/x/result.json", "openapi/v1.json" })
        {
            using var response = await anonymous.GetAsync(path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
        }
        using var live = await anonymous.GetAsync("healthz/live", ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var page = await anonymous.GetAsync("", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>OrleansRing</title>", await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Either_ConfiguredToken_IsAccepted_AndTheOpenApiDocument_DescribesTheEndpoints()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var token in new[] { ApiHost.Token, ApiHost.SecondToken })
        {
            using var client = host.Authorized(token);
            using var response = await client.GetAsync("openapi/v1.json", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var document = await response.ReadJsonAsync();
            var paths = document.GetProperty("paths");
            foreach (var path in new[] { "/api/sweeps", "/api/sweeps/{id}", "/api/sweeps/{id}/events", "/api/sweeps/{id}/cancel", "/api/runs", "/api/plugins", "/api/sweeps/{id}/summary.csv" })
            {
                Assert.True(paths.TryGetProperty(path, out _), $"the OpenAPI document lacks {path}");
            }
        }
    }

    [Fact]
    public void Tokens_AreCompared_ByHash_AcceptingEveryConfiguredOne_AndNothingElse()
    {
        var tokens = new ApiTokens([ApiHost.Token, ApiHost.SecondToken]);

        Assert.True(tokens.Accepts(ApiHost.Token));
        Assert.True(tokens.Accepts(ApiHost.SecondToken));
        Assert.False(tokens.Accepts(ApiHost.Token[..^1]));
        Assert.False(tokens.Accepts(ApiHost.Token + "x"));
        Assert.False(tokens.Accepts(""));
        Assert.False(tokens.Accepts(null));
        Assert.Equal("abc", ApiTokens.FromAuthorizationHeader("bearer abc"));
        Assert.Null(ApiTokens.FromAuthorizationHeader("Basic abc"));
    }

    [Fact]
    public void The_Api_RefusesToStart_WithoutATokenOrWithAShortOne()
    {
        var none = Assert.Throws<ArgumentException>(() => new ApiOptions { Enabled = true }.Validate());
        Assert.Contains(ApiOptions.TokensEnvironmentVariable, none.Message, StringComparison.Ordinal);
        var tooShort = Assert.Throws<ArgumentException>(() => new ApiOptions { Enabled = true, Tokens = ["short"] }.Validate());
        Assert.Contains("5 characters; at least 16", tooShort.Message, StringComparison.Ordinal);
        var fromEnvironmentStyle = ApiOptions.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ApiOptions.TokensEnvironmentVariable] = $"{ApiHost.Token}, {ApiHost.SecondToken}" }).Build());
        Assert.Equal([ApiHost.Token, ApiHost.SecondToken], fromEnvironmentStyle.ResolveTokens());

        // A mounted Secret: one token a line.
        var file = Path.Combine(host.Folder, "tokens");
        File.WriteAllText(file, $"{ApiHost.Token}\n{ApiHost.SecondToken}\n");
        Assert.Equal([ApiHost.Token, ApiHost.SecondToken], new ApiOptions { TokensFile = file }.ResolveTokens());
        var missing = Assert.Throws<ArgumentException>(() => new ApiOptions { TokensFile = file + ".missing" }.ResolveTokens());
        Assert.Contains("TokensFile: cannot read", missing.Message, StringComparison.Ordinal);
    }
}
