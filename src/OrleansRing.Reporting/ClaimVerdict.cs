namespace OrleansRing.Reporting;

/// <summary>One claim of the paper, whether this sweep supports it, and the numbers that say so.</summary>
public sealed record ClaimVerdict(string Claim, string Verdict, string Evidence);
