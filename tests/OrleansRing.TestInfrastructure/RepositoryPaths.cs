namespace OrleansRing.TestInfrastructure;

/// <summary>Folders of the checkout the tests run from, found from the test binaries' location.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "OrleansRing.sln";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding OrleansRing.sln, found by walking up from <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared folder beside the repository (<c>&lt;root&gt;/../shared</c>): data sets, benchmarks, references. It may not exist.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains {SolutionFile}; run the tests from a checkout of the repository.");
    }
}
