namespace OrleansRing.Plugins.Abstractions;

/// <summary>What <see cref="IDefence.OnReceive"/> decides about a received chunk.</summary>
public enum ReceiveVerdict
{
    /// <summary>Use the chunk, as received or as edited in place (clipped, cleaned).</summary>
    Accept = 0,

    /// <summary>
    /// Do not use it. In allgather the worker fetches the finished chunk from its owner instead (a repair, counted as
    /// extra bytes); a rejected partial sum or contribution counts as zeros.
    /// </summary>
    Reject = 1,
}
