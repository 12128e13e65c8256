namespace OrleansRing.Plugins.Host;

/// <summary>Where plugins are looked for when no folder is given.</summary>
public static class PluginFolder
{
    public const string EnvironmentVariable = "ORLEANSRING_PLUGINS";

    /// <summary>
    /// First that exists of: the <c>ORLEANSRING_PLUGINS</c> folder (if the variable is set, it must exist);
    /// <c>&lt;AppContext.BaseDirectory&gt;/plugins</c> (a published app); the nearest <c>artifacts/plugins</c> above
    /// the base directory (<c>dotnet run</c> or <c>dotnet test</c> from the source tree).
    /// </summary>
    /// <exception cref="PluginLoadException">No candidate exists; the message lists what was tried.</exception>
    public static string ResolveDefault() => ResolveDefault(AppContext.BaseDirectory, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The same rule with the inputs made explicit (for tests and tools).</summary>
    public static string ResolveDefault(string baseDirectory, string? environmentValue)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            var fromEnvironment = Path.GetFullPath(environmentValue);
            return Directory.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new PluginLoadException($"{EnvironmentVariable} is '{environmentValue}', which is not a folder.");
        }

        var tried = new List<string>();
        var beside = Path.Combine(baseDirectory, "plugins");
        tried.Add(beside);
        if (Directory.Exists(beside))
        {
            return Path.GetFullPath(beside);
        }

        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "plugins");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        tried.Add($"artifacts/plugins in {baseDirectory} or any folder above it");
        throw new PluginLoadException(
            $"No plugins folder found. Tried: {string.Join("; ", tried)}. Build the plugins (dotnet build OrleansRing.sln) or set {EnvironmentVariable}.");
    }
}
