using OrleansRing.Abstractions;
using OrleansRing.Storage;

namespace OrleansRing.Cli.Commands;

/// <summary>What a bench command measures: the persistence mode, its store (opened, when not off), and whether to compare with off.</summary>
public sealed record BenchPersistenceChoice(ChunkPersistence Mode, ChunkStoreOptions? StoreOptions, bool Compare, IChunkStore? Store);
