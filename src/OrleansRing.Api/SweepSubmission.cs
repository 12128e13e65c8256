namespace OrleansRing.Api;

/// <summary>What <see cref="SweepJobs.SubmitAsync"/> did: the sweep's id and whether it already existed.</summary>
public sealed record SweepSubmission(string Id, string Kind, bool Attached, int Experiments);
