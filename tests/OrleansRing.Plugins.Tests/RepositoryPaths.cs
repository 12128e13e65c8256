namespace OrleansRing.Plugins.Tests;

/// <summary>Folders of the source tree, found from the test binaries (never hard-coded).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string BuiltInPlugins => Path.Combine(Root, "artifacts", "plugins");

    public static string TestPlugins => Path.Combine(Root, "artifacts", "test-plugins");

    public static string AttackTemplate => Path.Combine(Root, "templates", "OrleansRing.Plugins.AttackTemplate");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansRing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansRing.sln above {AppContext.BaseDirectory}.");
    }
}
