using System.Reflection;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>
/// The plugins available to a run, by name. <see cref="Load"/> scans <c>&lt;folder&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c>,
/// loading each assembly into its own <see cref="PluginLoadContext"/>; <see cref="FromFactories"/> registers
/// in-process factories (tests, embedding). Immutable and thread-safe once built.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, LoadedPlugin> _byName;

    private PluginCatalog(IEnumerable<LoadedPlugin> plugins, string? folder, IReadOnlyList<string> skippedFolders)
    {
        _byName = new Dictionary<string, LoadedPlugin>(StringComparer.OrdinalIgnoreCase);
        foreach (var plugin in plugins)
        {
            if (!_byName.TryAdd(plugin.Name, plugin))
            {
                var first = _byName[plugin.Name];
                throw new PluginLoadException(
                    $"Two plugins are named '{plugin.Name}': {first.Factory.GetType().FullName} from {first.AssemblyPath ?? "in-process"} and "
                    + $"{plugin.Factory.GetType().FullName} from {plugin.AssemblyPath ?? "in-process"}. Plugin names must be unique; rename one or remove its folder.");
            }
        }

        Plugins = [.. _byName.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
        Folder = folder;
        SkippedFolders = skippedFolders;
    }

    /// <summary>Sorted by name.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    /// <summary>The folder scanned, or null for <see cref="FromFactories"/>.</summary>
    public string? Folder { get; }

    /// <summary>Sub-folders without a <c>&lt;Name&gt;/&lt;Name&gt;.dll</c>, which were ignored.</summary>
    public IReadOnlyList<string> SkippedFolders { get; }

    /// <summary>Loads every plugin under <paramref name="pluginsFolder"/>; see <see cref="PluginFolder.ResolveDefault()"/> for the usual folder.</summary>
    /// <exception cref="PluginLoadException">
    /// The folder is missing, an assembly cannot be loaded, exports no factory, a factory cannot be constructed or has an
    /// invalid descriptor, or two plugins share a name. Nothing is skipped silently except folders without a DLL.
    /// </exception>
    public static PluginCatalog Load(string pluginsFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginsFolder);
        var folder = Path.GetFullPath(pluginsFolder);
        if (!Directory.Exists(folder))
        {
            throw new PluginLoadException($"Plugins folder '{folder}' does not exist.");
        }

        var plugins = new List<LoadedPlugin>();
        var skipped = new List<string>();
        foreach (var directory in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            var assemblyPath = Path.Combine(directory, name + ".dll");
            if (!File.Exists(assemblyPath))
            {
                skipped.Add(directory);
                continue;
            }

            plugins.AddRange(LoadAssembly(assemblyPath));
        }

        return new PluginCatalog(plugins, folder, skipped);
    }

    /// <summary>A catalog of factories living in the caller's load context (no isolation; for tests and embedding).</summary>
    public static PluginCatalog FromFactories(IEnumerable<IPluginFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(factories);
        var plugins = new List<LoadedPlugin>();
        foreach (var factory in factories)
        {
            ArgumentNullException.ThrowIfNull(factory);
            var descriptor = ReadDescriptor(factory, "in-process");
            plugins.Add(new LoadedPlugin(factory, descriptor, assemblyPath: null));
        }

        return new PluginCatalog(plugins, folder: null, skippedFolders: []);
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LoadedPlugin? plugin) =>
        _byName.TryGetValue(name, out plugin);

    /// <summary>The plugin of <paramref name="kind"/> called <paramref name="name"/>.</summary>
    /// <exception cref="PluginSelectionException">Unknown name or another kind; the message lists the valid names.</exception>
    public LoadedPlugin Get(string name, PluginKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        var names = Plugins.Where(p => p.Descriptor.Kind == kind).Select(p => p.Name).ToList();
        var kindWord = KindWord(kind);
        if (!_byName.TryGetValue(name, out var plugin))
        {
            throw new PluginSelectionException(
                $"Unknown {kindWord} plugin '{name}'.{NameSuggestion.DidYouMean(name, names)} "
                + (names.Count == 0
                    ? $"No {kindWord} plugins are loaded{(Folder is null ? "." : $" from '{Folder}'.")}"
                    : $"Available {kindWord}s: {string.Join(", ", names)}."));
        }

        if (plugin.Descriptor.Kind != kind)
        {
            throw new PluginSelectionException(
                $"Plugin '{name}' is {(plugin.Descriptor.Kind == PluginKind.Attack ? "an" : "a")} {KindWord(plugin.Descriptor.Kind)}, not {(kind == PluginKind.Attack ? "an" : "a")} {kindWord}. Available {kindWord}s: {string.Join(", ", names)}.");
        }

        return plugin;
    }

    /// <summary>Validates <paramref name="selection"/>'s arguments against the plugin's parameters, filling in defaults.</summary>
    /// <exception cref="PluginSelectionException">Unknown plugin or parameter, or a bad value; the message lists what is valid.</exception>
    public PluginParameters Bind(PluginSelection selection, PluginKind kind)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return ParameterBinder.Bind(Get(selection.Name, kind).Descriptor, selection.Arguments);
    }

    /// <summary>Creates one attack instance (one per malicious worker) from text such as <c>alie:z=1.5</c>.</summary>
    public SandboxedAttack CreateAttack(string selection, PluginSandboxOptions? options = null) =>
        CreateAttack(PluginSelection.Parse(selection), options);

    /// <summary>Creates one attack instance, wrapped so every hook call is checked and time-limited.</summary>
    /// <exception cref="PluginSelectionException">The selection is invalid, or the plugin rejected its parameter values.</exception>
    /// <exception cref="PluginFailureException">The plugin failed while being created.</exception>
    public SandboxedAttack CreateAttack(PluginSelection selection, PluginSandboxOptions? options = null)
    {
        var (plugin, parameters, attack, hooks) = Instantiate(selection, PluginKind.Attack, (factory, values) => ((IAttackFactory)factory).Create(values), a => a.Hooks);
        return new SandboxedAttack(plugin.Descriptor, parameters, attack, hooks, options ?? PluginSandboxOptions.Default);
    }

    /// <summary>Creates one defence instance (one per worker) from text such as <c>trimmed-mean:f=2</c>.</summary>
    public SandboxedDefence CreateDefence(string selection, PluginSandboxOptions? options = null) =>
        CreateDefence(PluginSelection.Parse(selection), options);

    /// <summary>Creates one defence instance, wrapped so every hook call is checked and time-limited.</summary>
    /// <exception cref="PluginSelectionException">The selection is invalid, or the plugin rejected its parameter values.</exception>
    /// <exception cref="PluginFailureException">The plugin failed while being created.</exception>
    public SandboxedDefence CreateDefence(PluginSelection selection, PluginSandboxOptions? options = null)
    {
        var (plugin, parameters, defence, hooks) = Instantiate(selection, PluginKind.Defence, (factory, values) => ((IDefenceFactory)factory).Create(values), d => d.Hooks);
        return new SandboxedDefence(plugin.Descriptor, parameters, defence, hooks, options ?? PluginSandboxOptions.Default);
    }

    /// <summary>
    /// Binds the selection's parameters and calls the plugin's factory; what the plugin does wrong while being created
    /// (rejects its values, throws, returns null, fails to say its hooks) is reported in the same terms for every kind.
    /// </summary>
    private (LoadedPlugin Plugin, PluginParameters Parameters, T Instance, THooks Hooks) Instantiate<T, THooks>(
        PluginSelection selection, PluginKind kind, Func<object, PluginParameters, T?> create, Func<T, THooks> hooksOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(selection);
        var plugin = Get(selection.Name, kind);
        var parameters = ParameterBinder.Bind(plugin.Descriptor, selection.Arguments);
        T? instance;
        THooks hooks = default!;
        try
        {
            instance = create(plugin.Factory, parameters);
            if (instance is not null)
            {
                hooks = hooksOf(instance);
            }
        }
        catch (ArgumentException e)
        {
            throw new PluginSelectionException($"Plugin '{plugin.Name}' rejected its parameters ({parameters}): {e.Message}", e);
        }
        catch (Exception e)
        {
            throw new PluginFailureException(plugin.Name, PluginHook.Create, PluginFailureReason.Threw, $"it threw {e.GetType().Name}: {e.Message}", e);
        }

        return instance is null
            ? throw new PluginFailureException(plugin.Name, PluginHook.Create, PluginFailureReason.InvalidResult, "Create returned null.")
            : (plugin, parameters, instance, hooks);
    }

    private static IEnumerable<LoadedPlugin> LoadAssembly(string assemblyPath)
    {
        var context = new PluginLoadContext(assemblyPath);
        Assembly assembly;
        Type[] types;
        try
        {
            assembly = context.LoadFromAssemblyPath(assemblyPath);
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw new PluginLoadException($"Could not load plugin assembly '{assemblyPath}': {e.Message}", e);
        }

        var factoryTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPluginFactory).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (factoryTypes.Count == 0)
        {
            throw new PluginLoadException(
                $"Plugin assembly '{assemblyPath}' exports no public class implementing {typeof(IPluginFactory).FullName}. "
                + "If it has one, check that it references the contract with Private=false and ExcludeAssets=runtime.");
        }

        foreach (var type in factoryTypes)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new PluginLoadException($"Plugin factory {type.FullName} in '{assemblyPath}' has no public parameterless constructor.");
            }

            IPluginFactory factory;
            try
            {
                factory = (IPluginFactory)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException e)
            {
                throw new PluginLoadException($"Plugin factory {type.FullName} in '{assemblyPath}' threw from its constructor: {e.InnerException?.Message}", e.InnerException ?? e);
            }

            yield return new LoadedPlugin(factory, ReadDescriptor(factory, assemblyPath), assemblyPath);
        }
    }

    private static PluginDescriptor ReadDescriptor(IPluginFactory factory, string source)
    {
        PluginDescriptor? descriptor;
        try
        {
            descriptor = factory.Descriptor;
        }
        catch (Exception e)
        {
            throw new PluginLoadException($"Plugin factory {factory.GetType().FullName} in {source} threw reading its Descriptor: {e.Message}", e);
        }

        DescriptorValidator.Validate(descriptor, factory, source);
        return descriptor!;
    }

    private static string KindWord(PluginKind kind) => kind == PluginKind.Attack ? "attack" : "defence";
}
