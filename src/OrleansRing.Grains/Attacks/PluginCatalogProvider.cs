using OrleansRing.Plugins.Host;

namespace OrleansRing.Grains.Attacks;

/// <summary>
/// The silo's plugins, loaded from its plugins folder on first use (a silo that never runs an attack never
/// loads one). A folder that cannot be loaded is reported to the experiment that needed it, every time.
/// </summary>
public sealed class PluginCatalogProvider
{
    private readonly Lazy<PluginCatalog> _catalog;

    public PluginCatalogProvider(string folder, PluginSandboxOptions? sandbox = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = folder;
        Sandbox = sandbox ?? PluginSandboxOptions.Default;
        _catalog = new Lazy<PluginCatalog>(() => PluginCatalog.Load(folder), LazyThreadSafetyMode.PublicationOnly);
    }

    public PluginCatalogProvider(PluginCatalog catalog, PluginSandboxOptions? sandbox = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Sandbox = sandbox ?? PluginSandboxOptions.Default;
        Folder = catalog.Folder ?? "(in-process plugins)";
        _catalog = new Lazy<PluginCatalog>(catalog);
    }

    private PluginCatalogProvider(PluginLoadException unavailable, PluginSandboxOptions? sandbox)
    {
        Sandbox = sandbox ?? PluginSandboxOptions.Default;
        Folder = "(no plugins folder)";
        _catalog = new Lazy<PluginCatalog>(() => throw unavailable, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>
    /// A provider for a silo whose plugins folder could not be found: the silo still starts and runs experiments
    /// without plugins, and each one that needs a plugin is refused with <paramref name="reason"/>.
    /// </summary>
    public static PluginCatalogProvider Unavailable(PluginLoadException reason, PluginSandboxOptions? sandbox = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new PluginCatalogProvider(reason, sandbox);
    }

    public string Folder { get; }

    /// <summary>How every attack instance is sandboxed (time limit per hook call, isolation).</summary>
    public PluginSandboxOptions Sandbox { get; }

    public SandboxedAttack CreateAttack(string selection) => Catalog.CreateAttack(selection, Sandbox);

    public SandboxedDefence CreateDefence(string selection) => Catalog.CreateDefence(selection, Sandbox);

    public PluginCatalog Catalog
    {
        get
        {
            try
            {
                return _catalog.Value;
            }
            catch (PluginLoadException ex)
            {
                throw new ArgumentException($"plugins: {ex.Message} (set OrleansRing:Plugins:Folder or {PluginFolder.EnvironmentVariable}).", ex);
            }
        }
    }
}
