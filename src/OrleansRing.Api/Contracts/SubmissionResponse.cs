namespace OrleansRing.Api.Contracts;

/// <summary>
/// What a submission did: <paramref name="Attached"/> is true when the same sweep (same id: same grid) already
/// existed, so nothing new was started (finished experiments are never run again).
/// </summary>
public sealed record SubmissionResponse(string Id, string Kind, bool Attached, int Experiments, string StatusUrl, string EventsUrl);
