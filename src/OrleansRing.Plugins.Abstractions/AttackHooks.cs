namespace OrleansRing.Plugins.Abstractions;

/// <summary>
/// The hooks an attack instance wants called. The worker skips the others, so an attack that only touches
/// labels costs nothing per transmitted chunk.
/// </summary>
[Flags]
public enum AttackHooks
{
    /// <summary>No hook: the attack is inert.</summary>
    None = 0,

    /// <summary><see cref="IAttack.OnLabels"/> on each training batch's labels, before the forward pass.</summary>
    Labels = 1,

    /// <summary><see cref="IAttack.OnContribution"/> on the worker's flattened local gradient, before the ring (after the defence's contribution transform).</summary>
    Contribution = 2,

    /// <summary><see cref="IAttack.OnTransmit"/> on every chunk the worker sends, in both ring phases.</summary>
    Transmitted = 4,
}
