using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>
/// Every received chunk: NaN and ±∞ values become 0 and the sender is flagged. A partial sum has no honest part the
/// receiver could recover, so the cleaned coordinates lose the contributions summed so far (documented cost).
/// </summary>
internal sealed class NonFiniteRejection(bool exclude) : IDefence
{
    public DefenceHooks Hooks => DefenceHooks.Received;

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        var count = 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            if (!float.IsFinite(chunk[i]))
            {
                chunk[i] = 0;
                count++;
            }
        }

        if (count > 0)
        {
            context.Detections.Flag(
                context.SenderRank,
                $"non-finite-rejection: {count} of {chunk.Length} values of chunk {context.ChunkIndex} were NaN or infinite ({Phase(context.Phase)} step {context.Step})",
                exclude);
        }

        return ReceiveVerdict.Accept;
    }

    internal static string Phase(DefencePhase phase) => phase switch
    {
        DefencePhase.ScatterReduce => "scatter-reduce",
        DefencePhase.AllGather => "allgather",
        _ => "contribution",
    };
}
