namespace OrleansRing.Telemetry;

/// <summary>Attribute (tag) names on OrleansRing spans and metrics; values are given with each.</summary>
public static class RingAttributes
{
    /// <summary>string: the experiment id.</summary>
    public const string ExperimentId = "orleansring.experiment.id";

    /// <summary>int: workers in the ring (N).</summary>
    public const string Workers = "orleansring.workers";

    /// <summary>long: the iteration (0-based).</summary>
    public const string Iteration = "orleansring.iteration";

    /// <summary>int: the iterations an experiment runs (on its span).</summary>
    public const string Iterations = "orleansring.iterations";

    /// <summary>int: the ring generation (it grows with every recovery).</summary>
    public const string Generation = "orleansring.generation";

    /// <summary>int: the rank the span runs on. Only spans that run on a worker carry it; it selects the timeline track.</summary>
    public const string Rank = "orleansring.rank";

    /// <summary>int: the rank this worker sends to.</summary>
    public const string Successor = "orleansring.successor";

    /// <summary>int: the rank this worker receives from.</summary>
    public const string Predecessor = "orleansring.predecessor";

    /// <summary>string: <see cref="PhaseScatterReduce"/> or <see cref="PhaseAllGather"/>.</summary>
    public const string Phase = "orleansring.phase";

    /// <summary>int: the step within the phase, 0..N−2.</summary>
    public const string Step = "orleansring.step";

    /// <summary>int: the chunk this worker sends in the step.</summary>
    public const string ChunkIndex = "orleansring.chunk.index";

    /// <summary>int: the chunk this worker receives in the step.</summary>
    public const string ReceivedChunkIndex = "orleansring.chunk.received_index";

    /// <summary>long: payload bytes sent (a step's chunk, a worker iteration's total, a persisted blob).</summary>
    public const string Bytes = "orleansring.chunk.bytes";

    /// <summary>string: the chunk persistence mode (off, sync, async, reference).</summary>
    public const string Persistence = "orleansring.persistence";

    /// <summary>string: the silo the span ran on; lets a silo's recorder keep only its own spans.</summary>
    public const string Silo = "orleansring.silo";

    /// <summary>string: the model architecture.</summary>
    public const string Model = "orleansring.model";

    /// <summary>string: the attack plugin's name (without parameters).</summary>
    public const string AttackName = "orleansring.attack.name";

    /// <summary>string: the attack hook: contribution or transmit.</summary>
    public const string AttackHook = "orleansring.attack.hook";

    /// <summary>string: the defence's name.</summary>
    public const string DefenceName = "orleansring.defence.name";

    /// <summary>int: the rank whose contribution the defence judged (not <see cref="Rank"/>: the defence need not run there).</summary>
    public const string DefenceRank = "orleansring.defence.rank";

    /// <summary>bool: whether the defence flagged what it examined.</summary>
    public const string DefenceDetected = "orleansring.defence.detected";

    /// <summary>int: the rank excluded from the ring.</summary>
    public const string ExcludedRank = "orleansring.exclusion.rank";

    /// <summary>string: why a rank was excluded.</summary>
    public const string ExclusionReason = "orleansring.exclusion.reason";

    /// <summary>bool: the experiment span of a coordinator that resumed after its silo was lost.</summary>
    public const string Resumed = "orleansring.resumed";

    /// <summary>bool: a bench allreduce iteration (no model).</summary>
    public const string Benchmark = "orleansring.benchmark";

    public const string PhaseScatterReduce = "scatter-reduce";

    public const string PhaseAllGather = "all-gather";
}
