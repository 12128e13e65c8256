namespace OrleansRing.Plugins.Tests;

/// <summary>The plugin list in docs/plugins.md (or, once folded in, README.md) names every plugin and parameter.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void Docs_ListEveryBuiltInPluginWithItsParameters()
    {
        var text = string.Concat(
            new[] { Path.Combine("docs", "plugins.md"), Path.Combine("docs", "defences.md"), "README.md" }
                .Select(p => Path.Combine(RepositoryPaths.Root, p))
                .Where(File.Exists)
                .Select(File.ReadAllText));

        Assert.All(Catalogs.BuiltIn.Plugins, plugin =>
        {
            Assert.Contains($"`{plugin.Name}", text, StringComparison.Ordinal);
            Assert.All(plugin.Descriptor.Parameters, p => Assert.Contains($"`{p.Name}", text, StringComparison.Ordinal));
        });
    }
}
