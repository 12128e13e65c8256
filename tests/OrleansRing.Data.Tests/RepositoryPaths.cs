namespace OrleansRing.Data.Tests;

/// <summary>Finds data beside the repository, wherever the test binaries were built.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding OrleansRing.sln, found by walking up from the test binaries; null if none.</summary>
    public static string? FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansRing.sln")))
            {
                return folder.FullName;
            }
        }
        return null;
    }

    /// <summary>The CIFAR-10 subset archive in shared/ beside the repository root, or null where it is absent.</summary>
    public static string? FindCifar10Subset()
    {
        var root = FindRoot();
        if (root is null)
        {
            return null;
        }
        var archive = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "cifar10", "cifar-10-subset-binary.tar.gz"));
        return File.Exists(archive) ? archive : null;
    }
}
