using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

/// <summary>The real catalogs, loaded once per test run (each load creates new load contexts that are never unloaded).</summary>
internal static class Catalogs
{
    private static readonly Lazy<PluginCatalog> LazyBuiltIn = new(() => PluginCatalog.Load(RepositoryPaths.BuiltInPlugins));
    private static readonly Lazy<PluginCatalog> LazyFaulty = new(() => PluginCatalog.Load(RepositoryPaths.TestPlugins));

    public static PluginCatalog BuiltIn => LazyBuiltIn.Value;

    public static PluginCatalog Faulty => LazyFaulty.Value;

    /// <summary>In place on the test thread: arithmetic tests need no thread hand-off.</summary>
    public static PluginSandboxOptions Inline { get; } = new() { Isolation = PluginIsolation.Inline, TimeLimit = Timeout.InfiniteTimeSpan };

    public static SandboxedAttack Attack(string selection, PluginSandboxOptions? options = null) =>
        BuiltIn.CreateAttack(selection, options ?? Inline);
}
