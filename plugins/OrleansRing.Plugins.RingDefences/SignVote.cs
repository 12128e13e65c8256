using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>
/// Sign quantization with a per-coordinate thresholded vote, carried by the ordinary scatter-reduce: every worker
/// contributes sign(g) ∈ {−1, 0, 1} (a Byzantine worker's attack acts on those signs and may send anything), the ring's sum of signs is a
/// vote count, and after allgather every replica applies scale·sign(votes) where |votes| &gt; threshold, else 0. A
/// received partial sum of k contributors must be whole numbers in [−k, k]; values outside are clamped and the sender
/// flagged (a worker tampering with what it forwards).
/// </summary>
internal sealed class SignVote(double scale, int threshold, bool exclude) : IDefence
{
    public DefenceHooks Hooks => DefenceHooks.Contribution | DefenceHooks.Received | DefenceHooks.Aggregate;

    public void OnContribution(in DefenceContext context, Span<float> gradient)
    {
        for (var i = 0; i < gradient.Length; i++)
        {
            var g = gradient[i];
            gradient[i] = g > 0 ? 1f : g < 0 ? -1f : 0f; // NaN votes 0
        }
    }

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        if (context.Phase != DefencePhase.ScatterReduce)
        {
            return ReceiveVerdict.Accept;
        }

        var bound = context.Contributors;
        var bad = 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            var v = chunk[i];
            if (!float.IsFinite(v) || MathF.Abs(v) > bound || MathF.Round(v) != v)
            {
                chunk[i] = float.IsNaN(v) ? 0 : Math.Clamp(MathF.Round(v), -bound, bound);
                bad++;
            }
        }

        if (bad > 0)
        {
            context.Detections.Flag(
                context.SenderRank,
                $"sign-vote: {bad} of {chunk.Length} vote counts of chunk {context.ChunkIndex} at step {context.Step} are not whole numbers within ±{bound}",
                exclude);
        }

        return ReceiveVerdict.Accept;
    }

    public void OnAggregate(in DefenceContext context, Span<float> gradient)
    {
        // The owner divided the vote count by N; multiplying back and rounding recovers the whole count exactly.
        var n = context.WorldSize;
        var step = (float)scale;
        for (var i = 0; i < gradient.Length; i++)
        {
            var votes = MathF.Round(gradient[i] * n);
            gradient[i] = MathF.Abs(votes) > threshold ? MathF.Sign(votes) * step : 0f;
        }
    }
}
