using System.Runtime.Loader;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class PluginLoadingTests
{
    public static readonly string[] BuiltInAttacks =
    [
        "alie", "gaussian-noise", "gradient-ascent", "gradient-flipping", "inf", "ipm", "label-flipping", "mimic", "min-max",
        "min-sum", "nan", "partial-sum-overwrite", "partial-sum-scale", "partial-sum-zero", "random-value", "ring-dissensus",
        "same-value", "sign-flipping-mean", "stall",
    ];

    public static readonly string[] BuiltInDefences =
    [
        "allgather-commitments", "average", "bulyan", "centered-clipping", "geometric-median", "krum", "mda", "median",
        "multi-krum", "non-finite-rejection", "partial-sum-clipping", "replica-consistency", "sign-vote", "trimmed-mean",
    ];

    [Fact]
    public void Load_BuiltInFolder_FindsEveryShippedAttack()
    {
        var attacks = Catalogs.BuiltIn.Plugins.Where(p => p.Descriptor.Kind == PluginKind.Attack).Select(p => p.Name).ToArray();
        var defences = Catalogs.BuiltIn.Plugins.Where(p => p.Descriptor.Kind == PluginKind.Defence).Select(p => p.Name).ToArray();

        Assert.Equal(BuiltInAttacks, attacks);
        Assert.Equal(BuiltInDefences, defences);
        Assert.Equal(BuiltInAttacks.Length + BuiltInDefences.Length, Catalogs.BuiltIn.Plugins.Count);
    }

    [Fact]
    public void Load_EachPluginFolder_GetsItsOwnLoadContext()
    {
        var byAssembly = Catalogs.BuiltIn.Plugins.GroupBy(p => p.AssemblyPath).ToList();
        var contexts = byAssembly.Select(g => g.Select(p => p.LoadContext).Distinct().Single()).ToList();

        // Three attack and two defence assemblies.
        Assert.Equal(5, byAssembly.Count);
        Assert.All(contexts, c => Assert.IsType<PluginLoadContext>(c));
        Assert.Equal(5, contexts.Distinct().Count());
        Assert.DoesNotContain(AssemblyLoadContext.Default, contexts);
    }

    [Fact]
    public void Load_ContractAssembly_IsSharedFromTheDefaultContext()
    {
        var contract = typeof(IAttack).Assembly;

        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(contract));
        Assert.All(Catalogs.BuiltIn.Plugins, plugin =>
        {
            Assert.Contains(plugin.Descriptor.Kind == PluginKind.Attack ? typeof(IAttackFactory) : typeof(IDefenceFactory), plugin.Factory.GetType().GetInterfaces());
            Assert.DoesNotContain(plugin.LoadContext.Assemblies, a => a.GetName().Name == contract.GetName().Name);
        });
        Assert.All(
            Directory.GetDirectories(RepositoryPaths.BuiltInPlugins),
            folder => Assert.False(File.Exists(Path.Combine(folder, "OrleansRing.Plugins.Abstractions.dll")), $"{folder} ships its own contract"));
    }

    [Fact]
    public void Load_PluginPrivateTypes_AreNotVisibleFromTheDefaultContext()
    {
        Assert.True(Catalogs.BuiltIn.TryGet("gradient-flipping", out var plugin));
        var pluginAssembly = plugin.Factory.GetType().Assembly;
        const string attackType = "OrleansRing.Plugins.PaperAttacks.GradientFlippingAttack";

        Assert.NotNull(pluginAssembly.GetType(attackType, throwOnError: false));
        Assert.Null(Type.GetType($"{attackType}, OrleansRing.Plugins.PaperAttacks", throwOnError: false));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "OrleansRing.Plugins.PaperAttacks");
        Assert.DoesNotContain(pluginAssembly.GetExportedTypes(), t => t.FullName == attackType);
    }

    [Fact]
    public void DefaultFolder_FromTestBinaries_WalksUpToArtifactsPlugins()
    {
        Assert.Equal(
            Path.GetFullPath(RepositoryPaths.BuiltInPlugins),
            PluginFolder.ResolveDefault(AppContext.BaseDirectory, environmentValue: null));
    }

    [Fact]
    public void DefaultFolder_EnvironmentValue_WinsAndMustExist()
    {
        using var temp = new TempFolder();

        Assert.Equal(temp.Path, PluginFolder.ResolveDefault(AppContext.BaseDirectory, temp.Path));
        var error = Assert.Throws<PluginLoadException>(
            () => PluginFolder.ResolveDefault(AppContext.BaseDirectory, Path.Combine(temp.Path, "missing")));
        Assert.Contains(PluginFolder.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultFolder_NothingFound_ListsWhatWasTried()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<PluginLoadException>(() => PluginFolder.ResolveDefault(temp.Path, environmentValue: null));

        Assert.Contains(Path.Combine(temp.Path, "plugins"), error.Message, StringComparison.Ordinal);
        Assert.Contains("artifacts/plugins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_Fails()
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(Path.Combine(RepositoryPaths.Root, "artifacts", "no-such-plugins")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutMatchingDll_IsSkipped()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "NotAPlugin"));
        File.WriteAllText(Path.Combine(temp.Path, "NotAPlugin", "readme.txt"), "nothing here");

        var catalog = PluginCatalog.Load(temp.Path);

        Assert.Empty(catalog.Plugins);
        Assert.Equal([Path.Combine(temp.Path, "NotAPlugin")], catalog.SkippedFolders);
    }

    [Fact]
    public void Load_SamePluginInTwoFolders_FailsNamingBoth()
    {
        using var temp = new TempFolder();
        var source = Path.Combine(RepositoryPaths.BuiltInPlugins, "OrleansRing.Plugins.PaperAttacks");
        CopyFolder(source, Path.Combine(temp.Path, "OrleansRing.Plugins.PaperAttacks"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "Copy"));
        File.Copy(Path.Combine(source, "OrleansRing.Plugins.PaperAttacks.dll"), Path.Combine(temp.Path, "Copy", "Copy.dll"));

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(temp.Path));

        Assert.Contains("Two plugins are named", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(temp.Path, "Copy", "Copy.dll"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(temp.Path, "OrleansRing.Plugins.PaperAttacks", "OrleansRing.Plugins.PaperAttacks.dll"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AssemblyWithoutFactories_FailsWithAHint()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, "Empty"));
        File.Copy(typeof(IAttack).Assembly.Location, Path.Combine(temp.Path, "Empty", "Empty.dll"));

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(temp.Path));

        Assert.Contains("exports no public class implementing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFactories_InProcessFactory_IsUsableWithoutLoading()
    {
        var catalog = PluginCatalog.FromFactories([new InProcessFactory("in-process")]);
        using var attack = catalog.CreateAttack("in-process");
        float[] gradient = [1f];

        attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient);

        Assert.Equal([42f], gradient);
        Assert.Null(catalog.Plugins.Single().AssemblyPath);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("trailing-")]
    [InlineData("")]
    public void FromFactories_NonKebabName_IsRejected(string name)
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.FromFactories([new InProcessFactory(name)]));

        Assert.Contains("kebab-case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFactories_DuplicateNames_Fail()
    {
        var error = Assert.Throws<PluginLoadException>(
            () => PluginCatalog.FromFactories([new InProcessFactory("twin"), new InProcessFactory("twin")]));

        Assert.Contains("Two plugins are named 'twin'", error.Message, StringComparison.Ordinal);
    }

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    private sealed class InProcessFactory(string name) : IAttackFactory
    {
        public PluginDescriptor Descriptor { get; } = new() { Name = name, Kind = PluginKind.Attack, Description = "Sets every value to 42." };

        public IAttack Create(PluginParameters parameters) => new FortyTwo();

        private sealed class FortyTwo : IAttack
        {
            public AttackHooks Hooks => AttackHooks.Contribution;

            public ContributionResult OnContribution(in ContributionContext context, Span<float> gradient)
            {
                gradient.Fill(42f);
                return default;
            }
        }
    }
}
