using OrleansRing.Api.Contracts;

namespace OrleansRing.Api.Tests;

[Collection(ApiHostCollection.Name)]
public sealed class ApiPluginTests(ApiHost host)
{
    [Fact]
    public async Task Plugins_AreTheSilos_WithTheirTypedParametersAndDefaults()
    {
        using var client = host.Authorized();

        var plugins = await (await client.GetAsync("api/plugins", TestContext.Current.CancellationToken)).ReadAsync<List<PluginResponse>>();

        var ascent = Assert.Single(plugins, p => p.Name == "gradient-ascent");
        Assert.Equal("attack", ascent.Kind);
        var scale = Assert.Single(ascent.Parameters, p => p.Name == "scale");
        Assert.Equal("double", scale.Type);
        Assert.Equal("-4", scale.Default);
        var scope = Assert.Single(ascent.Parameters, p => p.Name == "scope");
        Assert.Equal(["contribution", "transmitted"], scope.AllowedValues);
        Assert.Contains(plugins, p => p.Kind == "defence");
        Assert.True(plugins.Single(p => p.Name == "alie").Omniscient);
    }
}
