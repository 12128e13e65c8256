namespace OrleansRing.Telemetry;

/// <summary>
/// Names of the spans (activities) of <see cref="RingTelemetry.Source"/>. Names are low-cardinality, as
/// OpenTelemetry asks; which iteration, rank, phase and step a span is about is in its attributes (<see cref="RingAttributes"/>).
/// </summary>
public static class RingSpans
{
    /// <summary>One experiment on the coordinator, from its first iteration (or its resumption) to its end.</summary>
    public const string Experiment = "orleansring.experiment";

    /// <summary>One iteration on the coordinator: every worker's <see cref="WorkerIteration"/> runs inside it.</summary>
    public const string Iteration = "orleansring.iteration";

    /// <summary>One iteration on one worker: compute, the ring steps and the optimizer step.</summary>
    public const string WorkerIteration = "orleansring.worker.iteration";

    /// <summary>Local forward and backward pass (waiting for the silo's compute slot included).</summary>
    public const string Compute = "orleansring.compute";

    /// <summary>The optimizer step with the averaged gradient.</summary>
    public const string Optimizer = "orleansring.optimizer";

    /// <summary>One scatter-reduce or all-gather step on one worker: send, wait for the predecessor's chunk, apply it.</summary>
    public const string Step = "orleansring.ring.step";

    /// <summary>Making an outgoing chunk durable (sync, reference) or queueing it (async).</summary>
    public const string ChunkPersist = "orleansring.chunk.persist";

    /// <summary>Reading a chunk back from the store (reference mode).</summary>
    public const string ChunkLoad = "orleansring.chunk.load";

    /// <summary>Saving this worker's checkpoint.</summary>
    public const string Checkpoint = "orleansring.checkpoint";

    /// <summary>An attack hook ran on a malicious worker (contribution or transmitted chunk).</summary>
    public const string Attack = "orleansring.attack";

    /// <summary>A defence examined what was sent (see <see cref="RingTelemetry.StartDefence"/>).</summary>
    public const string Defence = "orleansring.defence";

    /// <summary>A worker was excluded from the ring (see <see cref="RingTelemetry.StartExclusion"/>).</summary>
    public const string Exclusion = "orleansring.exclusion";

    /// <summary>Hashing and evaluating the replicas on the coordinator.</summary>
    public const string Evaluate = "orleansring.evaluate";
}
