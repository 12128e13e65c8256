using System.Collections.Concurrent;

namespace OrleansRing.Grains.Ring;

/// <summary>
/// The workers active in this silo, by grain key, for the ring's in-silo transport: a worker whose successor is
/// registered here hands its chunk over in memory (<see cref="LocalChunkEndpoint"/>) instead of making a grain call.
/// </summary>
/// <remarks>
/// Profiling showed that in one silo a ring step's cost is not the chunk arithmetic but the grain call around it:
/// a request message, the callee's scheduling, the incoming and outgoing call filters, a response message and the
/// caller's continuation, on every rank at every step. The hand-off keeps what the call gave (the receiver validates
/// and deposits on its own activation's scheduler, interleaving like <c>[AlwaysInterleave]</c>) and drops the rest.
/// Across silos the data plane (<see cref="ChunkDataPlane"/>) delivers through the same registry. One registry per silo (a singleton of its service provider),
/// so silos hosted in one process never see each other's workers.
/// </remarks>
public sealed class LocalChunkRoutes(bool enabled = true, bool oneWayBetweenSilos = true)
{
    private readonly ConcurrentDictionary<string, LocalChunkEndpoint> _endpoints = new(StringComparer.Ordinal);

    /// <summary>Configuration key: false makes every ring step a grain call, as before the in-silo hand-off existed.</summary>
    public const string EnabledKey = "OrleansRing:Ring:LocalHandOff";

    /// <summary>Configuration key: false makes ring steps between silos request/response calls (<c>ReceiveChunkAsync</c>) instead of one-way posts.</summary>
    public const string OneWayKey = "OrleansRing:Ring:OneWayBetweenSilos";

    public bool Enabled { get; } = enabled;

    /// <summary>Whether a step to a worker in another silo is a one-way post (<c>PostChunkAsync</c>).</summary>
    public bool OneWayBetweenSilos { get; } = oneWayBetweenSilos;

    internal void Register(string workerKey, LocalChunkEndpoint endpoint)
    {
        if (Enabled)
        {
            _endpoints[workerKey] = endpoint;
        }
    }

    /// <summary>Removes <paramref name="endpoint"/> (only that one: a newer activation's registration stays).</summary>
    internal void Unregister(string workerKey, LocalChunkEndpoint endpoint) =>
        _endpoints.TryRemove(new KeyValuePair<string, LocalChunkEndpoint>(workerKey, endpoint));

    internal bool TryGet(string workerKey, out LocalChunkEndpoint endpoint) => _endpoints.TryGetValue(workerKey, out endpoint!);
}
