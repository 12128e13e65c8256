using System.Reflection;
using System.Runtime.Loader;

namespace OrleansRing.Plugins.Host;

/// <summary>
/// The load context of one plugin folder. The plugin's own dependencies resolve from its <c>.deps.json</c> into this
/// context (so two plugins may carry different versions of a library); the shared assemblies, above all the contract,
/// are deferred to the default context so that <c>IAttack</c> is one type for the host and every plugin.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string pluginAssemblyPath)
        : base(name: $"plugin:{Path.GetFileNameWithoutExtension(pluginAssemblyPath)}", isCollectible: false)
    {
        PluginAssemblyPath = pluginAssemblyPath;
        _resolver = new AssemblyDependencyResolver(pluginAssemblyPath);
    }

    /// <summary>
    /// Assemblies always taken from the default context ("shared types"). Only the contract: plugins reference nothing
    /// else of the host's. Framework assemblies fall through to the default context anyway (the resolver returns null).
    /// </summary>
    public static IReadOnlySet<string> SharedAssemblyNames { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { typeof(Abstractions.IAttack).Assembly.GetName().Name! };

    public string PluginAssemblyPath { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && SharedAssemblyNames.Contains(name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
