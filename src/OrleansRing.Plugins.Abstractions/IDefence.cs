namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// A defence running on every worker of the ring (the host runs the same protocol code on honest and malicious
/// workers; an attack only acts through its own hooks). The worker calls only the hooks named in <see cref="Hooks"/>,
/// one call at a time, synchronously; like attack hooks they must not block, and lengths never change.
/// Ranks in contexts are ranks of the current ring: after an exclusion the ring of N−1 is renumbered 0..N−2.
/// <para>
/// Order in one iteration: <see cref="OnContribution"/> on the local gradient (on a malicious worker, the attack's
/// contribution hook comes after it); then either scatter-reduce (each received
/// partial sum through <see cref="OnReceive"/>, the owner divides by N) or, with <see cref="DefenceHooks.Reduction"/>,
/// the direct exchange of contributions (each through <see cref="OnReceive"/>) and <see cref="Reduce"/> at the owner;
/// <see cref="Commit"/> at the owner; allgather (each received chunk through <see cref="OnReceive"/>);
/// <see cref="OnAggregate"/> on the averaged gradient; <see cref="Attest"/> and <see cref="CompareAttestations"/>;
/// the optimizer step. Flags raised anywhere take effect between iterations.
/// </para>
/// </summary>
public interface IDefence
{
    /// <summary>The hooks to call. Read once when the defence is created.</summary>
    DefenceHooks Hooks { get; }

    /// <summary>
    /// Bytes each worker sends per iteration beyond the plain ring when nothing is detected (statistics rounds,
    /// commitments, attestations). The host measures what is really sent and records both.
    /// </summary>
    long ExtraBytesPerIteration(int worldSize, int totalLength) => 0;

    /// <summary>
    /// The worker's flattened local gradient, before the ring and before an attack's contribution hook: the protocol's
    /// transform of what every worker sends (a malicious worker's attack then changes the result, as it likes).
    /// </summary>
    void OnContribution(in DefenceContext context, Span<float> gradient)
    {
    }

    /// <summary>A received chunk, before the worker uses it. Edit in place to clip or clean; flag the sender through the context.</summary>
    ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk) => ReceiveVerdict.Accept;

    /// <summary>
    /// The owner's robust reduction of one chunk, in rounds. Return a statistics vector (the same length at every owner)
    /// to have the host sum it over all N owners (a whole-vector quantity, e.g. squared norms or pairwise squared
    /// distances assembled from their per-chunk parts) and call again with <see cref="ReductionContext.Round"/> + 1 and
    /// the totals; return null once <paramref name="result"/> holds the reduced chunk, on the scale of a mean.
    /// Every owner must ask for the same number of rounds.
    /// </summary>
    double[]? Reduce(in ReductionContext context, Span<float> result) =>
        throw new NotSupportedException("This defence declares no reduction.");

    /// <summary>The owner's commitment to its reduced chunk (e.g. a hash), sent to every worker before allgather.</summary>
    byte[] Commit(in DefenceContext context, int chunkIndex, ReadOnlySpan<float> reducedChunk) => [];

    /// <summary>The averaged gradient after allgather, identical input on every honest replica: validate, clip, threshold.</summary>
    void OnAggregate(in DefenceContext context, Span<float> gradient)
    {
    }

    /// <summary>A digest of this replica's averaged gradient, sent to every other worker after allgather.</summary>
    byte[] Attest(in DefenceContext context, ReadOnlySpan<float> gradient) => [];

    /// <summary>
    /// Every worker's attestation by rank (this worker's included). Flag the inconsistent; return the chunks this worker
    /// should fetch again from their owners before the optimizer step (a repair), or an empty list.
    /// </summary>
    IReadOnlyList<int> CompareAttestations(in DefenceContext context, IReadOnlyList<ReadOnlyMemory<byte>> attestations) => [];
}
