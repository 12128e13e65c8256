using System.Runtime.Loader;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>One plugin of a <see cref="PluginCatalog"/>: its descriptor, factory, and where it was loaded from.</summary>
public sealed class LoadedPlugin
{
    internal LoadedPlugin(IPluginFactory factory, PluginDescriptor descriptor, string? assemblyPath)
    {
        Factory = factory;
        Descriptor = descriptor;
        AssemblyPath = assemblyPath;
        LoadContext = AssemblyLoadContext.GetLoadContext(factory.GetType().Assembly) ?? AssemblyLoadContext.Default;
    }

    public PluginDescriptor Descriptor { get; }

    public IPluginFactory Factory { get; }

    /// <summary>The plugin's <c>&lt;Name&gt;.dll</c>; null for a factory registered in-process.</summary>
    public string? AssemblyPath { get; }

    /// <summary>The plugin's own <see cref="PluginLoadContext"/> (the default context for an in-process factory).</summary>
    public AssemblyLoadContext LoadContext { get; }

    public string Name => Descriptor.Name;

    public override string ToString() => AssemblyPath is null ? Name : $"{Name} ({AssemblyPath})";
}
