using OrleansRing.Plugins.Host;

namespace OrleansRing.Grains.Attacks;

/// <summary>
/// The silo's plugins, loaded from its plugins folder on first use (a silo that never runs an attack never
/// loads one). A folder that cannot be loaded is reported to the experiment that needed it, every time.
/// </summary>
public sealed class PluginCatalogProvider
{
    private readonly Lazy<PluginCatalog> _catalog;

    public PluginCatalogProvider(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = folder;
        _catalog = new Lazy<PluginCatalog>(() => PluginCatalog.Load(folder), LazyThreadSafetyMode.PublicationOnly);
    }

    public PluginCatalogProvider(PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Folder = catalog.Folder ?? "(in-process plugins)";
        _catalog = new Lazy<PluginCatalog>(catalog);
    }

    public string Folder { get; }

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
