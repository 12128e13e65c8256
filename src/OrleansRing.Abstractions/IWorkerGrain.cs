using Orleans.Concurrency;

namespace OrleansRing.Abstractions;

/// <summary>
/// One rank of an experiment's ring, keyed "{experimentId}/{rank}" (see <see cref="WorkerKey"/>).
/// The coordinator calls <see cref="RunIterationAsync"/> on every worker at once; inside it the
/// workers exchange chunks peer to peer with <see cref="ReceiveChunkAsync"/>.
/// </summary>
[Alias("orleansring.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Builds the model, optimizer and data pipeline for this rank. Idempotent for the same assignment.</summary>
    [Alias("initialize")]
    [ResponseTimeout("00:10:00")]
    Task<int> InitializeAsync(WorkerAssignment assignment);

    /// <summary>Computes the local gradient, runs scatter-reduce and all-gather with its neighbours, applies the step.</summary>
    [Alias("run-iteration")]
    [ResponseTimeout("01:00:00")]
    Task<IterationReport> RunIterationAsync(long iteration);

    /// <summary>
    /// Deposits a neighbour's chunk. Interleaves with <see cref="RunIterationAsync"/> (which is awaiting
    /// it): in a ring of awaited calls a non-interleaving receive would deadlock until timeout.
    /// </summary>
    [Alias("receive-chunk")]
    [AlwaysInterleave]
    Task ReceiveChunkAsync(ChunkMessage message);

    /// <summary>
    /// <see cref="ReceiveChunkAsync"/> without a response, the ring's transport between silos: a step then costs one
    /// message instead of a request and its response. The sender learns nothing; a chunk the receiver rejects fails
    /// the receiver's own wait for it with the rejection, and a lost silo is noticed by the coordinator's calls.
    /// </summary>
    [Alias("post-chunk")]
    [AlwaysInterleave]
    [OneWay]
    Task PostChunkAsync(ChunkMessage message);

    /// <summary>
    /// Where this worker's silo receives ring chunks beside Orleans ("address:port" of its data plane), or null when it
    /// has none; a predecessor in another silo asks once per ring it joins. Interleaves: it is asked while this worker
    /// may be waiting inside an iteration.
    /// </summary>
    [Alias("get-data-plane-endpoint")]
    [AlwaysInterleave]
    Task<string?> GetDataPlaneEndpointAsync();

    /// <summary>Deposits a defence's message (a contribution to this owner, statistics, a commitment, an attestation); interleaves like <see cref="ReceiveChunkAsync"/>.</summary>
    [Alias("receive-defence-message")]
    [AlwaysInterleave]
    Task ReceiveDefenceMessageAsync(ChunkMessage message);

    /// <summary>This owner's reduced chunk of <paramref name="iteration"/> (float32 bytes), for a worker repairing a chunk its defence rejected.</summary>
    [Alias("reduced-chunk")]
    [AlwaysInterleave]
    Task<byte[]> GetReducedChunkAsync(long iteration, int chunk);

    /// <summary>
    /// Takes a new place in a smaller ring (after an exclusion), keeping the model: the worker must have completed
    /// <see cref="WorkerAssignment.ResumeFromIteration"/>.
    /// </summary>
    [Alias("rebuild-ring")]
    Task RebuildRingAsync(WorkerAssignment assignment);

    /// <summary>
    /// Stores this rank's own state as its checkpoint of <paramref name="iteration"/>, the iteration it last completed,
    /// over the reference it wrote: the coordinator asks when the state's hash differed from the holder's.
    /// </summary>
    [Alias("save-own-checkpoint")]
    [ResponseTimeout("00:10:00")]
    Task SaveOwnCheckpointAsync(long iteration);

    /// <summary>Stops waiting for chunks of <paramref name="iteration"/>, so a ring broken by a lost worker unwinds at once.</summary>
    [Alias("abort-iteration")]
    [AlwaysInterleave]
    Task AbortIterationAsync(long iteration);

    /// <summary>This honest worker's local gradient of <paramref name="iteration"/> (float32 bytes), once computed: what an omniscient attacker sees.</summary>
    [Alias("local-gradient")]
    [AlwaysInterleave]
    Task<byte[]> GetLocalGradientAsync(long iteration);

    [Alias("evaluate")]
    [ResponseTimeout("00:30:00")]
    Task<EvaluationReport> EvaluateAsync();

    /// <summary>SHA-256 of this replica's parameters; honest replicas must agree bit for bit.</summary>
    [Alias("parameter-hash")]
    Task<string> GetParameterHashAsync();

    /// <summary>Sets this worker up to all-reduce a vector of <see cref="AllReduceBenchmarkAssignment.Floats"/> values with no model.</summary>
    [Alias("prepare-allreduce-benchmark")]
    Task PrepareAllReduceBenchmarkAsync(AllReduceBenchmarkAssignment assignment);

    /// <summary>One all-reduce of the benchmark vector (<c>BenchmarkVector</c>) through exactly the training path's ring steps.</summary>
    [Alias("run-allreduce-benchmark")]
    [ResponseTimeout("00:10:00")]
    Task<AllReduceBenchmarkReport> RunAllReduceBenchmarkAsync(long iteration);

    /// <summary>
    /// The timed part of <see cref="RunAllReduceBenchmarkAsync"/> alone: one all-reduce of the vector as it stands
    /// (prepared, or restored by <see cref="ResetAllReduceBenchmarkAsync"/>), without the restore before it or the hash
    /// after it, so that a caller can barrier around the timed rings as torch.distributed benchmarks do. Its
    /// <see cref="AllReduceBenchmarkReport.ResultHash"/> is empty: <see cref="ResetAllReduceBenchmarkAsync"/> returns it.
    /// </summary>
    [Alias("run-timed-allreduce-benchmark")]
    [ResponseTimeout("00:10:00")]
    Task<AllReduceBenchmarkReport> RunTimedAllReduceBenchmarkAsync(long iteration);

    /// <summary>SHA-256 of the benchmark vector as the last all-reduce left it, then restores the rank's input for the next one.</summary>
    [Alias("reset-allreduce-benchmark")]
    Task<string> ResetAllReduceBenchmarkAsync();

    /// <summary>This replica's parameters as float32 bytes, in the model's parameter order.</summary>
    [Alias("export-parameters")]
    Task<byte[]> ExportParametersAsync();

    /// <summary>
    /// This rank's spans recorded by its silo's timeline recorder, as a one-track trace-event JSON fragment
    /// (see docs/telemetry.md), forgetting them; an empty fragment when the silo does not record.
    /// </summary>
    [Alias("take-timeline")]
    Task<byte[]> TakeTimelineAsync();

    /// <summary>Frees the model and deactivates the worker.</summary>
    [Alias("release")]
    Task ReleaseAsync();
}
