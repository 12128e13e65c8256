using System.CommandLine;
using OrleansRing.Abstractions;
using OrleansRing.Hosting;
using OrleansRing.Storage;

namespace OrleansRing.Cli.Commands;

/// <summary>
/// --persistence, --store and --compare of the bench commands: which chunk persistence to measure, against which
/// store, and whether to measure persistence off beside it in the same process.
/// </summary>
public sealed class BenchPersistenceOptions
{
    private readonly ChunkPersistence _default;
    private readonly Option<string> _persistence;
    private readonly Option<string?> _store;
    private readonly Option<bool> _compare;

    public BenchPersistenceOptions(ChunkPersistence defaultMode, string defaultReason)
    {
        _default = defaultMode;
        _persistence = new Option<string>("--persistence")
        {
            Description = $"Chunk persistence to measure: off (the ring alone), sync (each chunk durable before it is sent), async (write-behind, durable by the end of the iteration) or reference (the message carries the blob name; the receiver reads the chunk from the store). Default: {Name(defaultMode)}, {defaultReason}.",
            DefaultValueFactory = _ => Name(defaultMode),
        };
        _persistence.AcceptOnlyFromAmong([.. Enum.GetValues<ChunkPersistence>().Select(Name)]);
        _store = new Option<string?>("--store")
        {
            Description = $"Chunk store for --persistence other than off: folder:PATH or azure:CONNECTION_STRING (or azure:https://ACCOUNT.blob.core.windows.net/CONTAINER). Default: the silo's default, folder:{ChunkStoreConfiguration.DefaultFolder}. What the benchmark writes is deleted afterwards.",
        };
        _compare = new Option<bool>("--compare") { Description = "Also measure with persistence off in the same process, and print both and the ratio (mode ÷ off)." };
    }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_persistence);
        command.Add(_store);
        command.Add(_compare);
    }

    /// <summary>The chosen mode, its store (null for off) and --compare; a contradiction is a <see cref="CommandLineException"/>.</summary>
    public (ChunkPersistence Mode, ChunkStoreOptions? Store, bool Compare) Resolve(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var text = parse.GetValue(_persistence);
        var mode = text is null ? _default : Enum.Parse<ChunkPersistence>(text, ignoreCase: true);
        var storeText = parse.GetValue(_store);
        var compare = parse.GetValue(_compare);
        if (mode == ChunkPersistence.Off)
        {
            if (storeText is not null)
            {
                throw new CommandLineException("--store needs --persistence sync, async or reference (with off nothing is stored).");
            }
            if (compare)
            {
                throw new CommandLineException("--compare needs --persistence sync, async or reference (it compares that mode with off).");
            }
            return (mode, null, false);
        }
        ChunkStoreOptions store;
        try
        {
            store = storeText is null
                ? new ChunkStoreOptions { Kind = ChunkStoreKind.Folder, FolderPath = ChunkStoreConfiguration.DefaultFolder }
                : ChunkStoreOptions.Parse(storeText);
            store.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CommandLineException($"--store: {ErrorText.OneLine(ex)}", ex);
        }
        return (mode, store, compare);
    }

    /// <summary>
    /// The store, checked once so that a store that is down fails the benchmark at once (exit 1), not after the
    /// retry limit; a bad connection string is a <see cref="CommandLineException"/>.
    /// </summary>
    /// <summary>
    /// <see cref="Resolve"/> and <see cref="OpenAsync"/> together, for a command's action: on bad options or an
    /// unreachable store it prints one line prefixed by <paramref name="commandName"/> and returns the exit code instead.
    /// </summary>
    public async Task<(BenchPersistenceChoice? Choice, int ExitCode)> ResolveAndOpenAsync(ParseResult parse, string commandName, CancellationToken cancellationToken)
    {
        try
        {
            var (mode, storeOptions, compare) = Resolve(parse);
            var store = storeOptions is null ? null : await OpenAsync(storeOptions, cancellationToken);
            return (new BenchPersistenceChoice(mode, storeOptions, compare, store), OrleansRingCommandLine.Success);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"{commandName}: {ex.Message}");
            return (null, OrleansRingCommandLine.BadInput);
        }
        catch (ChunkStoreException ex)
        {
            await Console.Error.WriteLineAsync($"{commandName}: {ErrorText.OneLine(ex)}");
            return (null, OrleansRingCommandLine.RunFailed);
        }
    }

    public static async Task<IChunkStore> OpenAsync(ChunkStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IChunkStore store;
        try
        {
            store = ChunkStoreFactory.Create(options);
        }
        catch (ArgumentException ex)
        {
            throw new CommandLineException($"--store: {ErrorText.OneLine(ex)}", ex);
        }
        await store.EnsureReachableAsync(cancellationToken);
        return store;
    }

    public static string Name(ChunkPersistence mode) => mode.ToString().ToLowerInvariant();
}
