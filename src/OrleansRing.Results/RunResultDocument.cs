using OrleansRing.Abstractions;

namespace OrleansRing.Results;

/// <summary>The shape of result.json: the experiment's result plus what produced it.</summary>
public sealed record RunResultDocument(
    string Schema,
    ExperimentResult Result,
    SoftwareVersions Versions,
    string Machine,
    DateTimeOffset WrittenAt);
