namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// An attack running on one malicious worker. The worker calls only the hooks named in <see cref="Hooks"/>, one call
/// at a time, synchronously, on the hot path: implementations must not allocate per call (keep scratch buffers in
/// fields) and must not block (ask for a delay through <see cref="TransmitResult"/> instead of sleeping).
/// Hooks change values in place; lengths never change.
/// </summary>
public interface IAttack
{
    /// <summary>The hooks to call. Read once when the attack is created.</summary>
    AttackHooks Hooks { get; }

    /// <summary>Called on each training batch's labels (classes 0..<see cref="LabelContext.ClassCount"/>-1) before the forward pass.</summary>
    void OnLabels(in LabelContext context, Span<byte> labels)
    {
    }

    /// <summary>
    /// Called once per iteration on the worker's flattened local gradient, before the ring and after the defence's
    /// contribution transform (e.g. sign-vote's signs), i.e. on what an honest worker would send. Modify
    /// <paramref name="gradient"/> in place, or return <see cref="ContributionResult.Replace"/> with a vector of the
    /// same length (e.g. one of <see cref="ContributionContext.HonestGradients"/>) and the host copies it in.
    /// </summary>
    ContributionResult OnContribution(in ContributionContext context, Span<float> gradient) => default;

    /// <summary>
    /// Called on every chunk the worker is about to send, in both phases. Modify <paramref name="chunk"/> in place or
    /// return a same-length replacement; return a delay to hold the send back (stall).
    /// </summary>
    TransmitResult OnTransmit(in TransmitContext context, Span<float> chunk) => default;
}
