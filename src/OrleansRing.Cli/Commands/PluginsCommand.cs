using System.CommandLine;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Cli.Commands;

/// <summary>`orleansring plugins list`: the attacks (and defences) a silo would load, with their parameters.</summary>
public static class PluginsCommand
{
    public static Command Create()
    {
        var folder = new Option<string?>("--plugins") { Description = "Plugins folder (default: ORLEANSRING_PLUGINS, the app's plugins/ or the repository's artifacts/plugins)." };
        var server = new ServerOptions();
        var list = new Command("list", "List the plugins in the plugins folder (or, with --server, a host's): name, kind, description and typed parameters with defaults.") { folder };
        server.AddTo(list);
        list.SetAction(async (parse, cancellationToken) =>
        {
            if (await server.TryRunAsync(parse, "plugins list", client => RemoteSweep.ListPluginsAsync(client, cancellationToken), parse.GetResult(folder) is null or { Implicit: true } ? null : "--plugins") is { } exitCode)
            {
                return exitCode;
            }
            var path = parse.GetValue(folder) ?? PluginFolder.ResolveDefault();
            PluginCatalog catalog;
            try
            {
                catalog = PluginCatalog.Load(path);
            }
            catch (PluginLoadException ex)
            {
                Console.Error.WriteLine($"orleansring plugins list: {ex.Message}");
                return OrleansRingCommandLine.BadInput;
            }
            Console.WriteLine($"Plugins in {catalog.Folder}:");
            Console.WriteLine();
            Console.WriteLine("Attacks");
            Console.WriteLine(PluginHelp.List(catalog, PluginKind.Attack));
            Console.WriteLine();
            Console.WriteLine("Defences");
            Console.WriteLine(PluginHelp.List(catalog, PluginKind.Defence));
            return OrleansRingCommandLine.Success;
        });
        return new Command("plugins", "Inspect the attack and defence plugins.") { list };
    }
}
