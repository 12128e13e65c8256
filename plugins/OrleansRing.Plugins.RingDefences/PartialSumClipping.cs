using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.RingDefences;

/// <summary>
/// Norm clipping of received partial sums against a running bound. The receiver knows one honest magnitude without any
/// exchange: its own gradient. For chunk c it keeps ρ_c, an exponential moving average (weight <c>decay</c>) of its own
/// chunk's norm; a partial sum of k contributors may have norm at most multiplier·k·max(ρ_c, its own norm now). By the
/// triangle inequality an honest sum passes whatever the contributions' alignment as long as each is within
/// <c>multiplier</c> of the receiver's own norm, so honest workers are not named (a √k bound, tight for aligned
/// gradients, named every honest rank without attack). A longer sum is scaled down to the bound; its sender is flagged
/// only when its norm exceeds <c>flagFactor</c> times the bound (once per iteration): an honest worker forwarding a
/// sum it has just clipped may itself exceed the next receiver's bound a little, and must not be named for it.
/// </summary>
internal sealed class PartialSumClipping(double multiplier, double decay, double flagFactor, bool exclude) : IDefence
{
    private float[] _own = [];
    private double[] _running = [];
    private long _runningIteration = -1;
    private long _flaggedIteration = -1;

    public DefenceHooks Hooks => DefenceHooks.Contribution | DefenceHooks.Received;

    public void OnContribution(in DefenceContext context, Span<float> gradient)
    {
        if (_own.Length != gradient.Length)
        {
            _own = new float[gradient.Length];
            _running = [];
        }

        gradient.CopyTo(_own);
    }

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        if (context.Phase != DefencePhase.ScatterReduce || _own.Length != context.TotalLength)
        {
            return ReceiveVerdict.Accept;
        }

        if (_running.Length != context.WorldSize)
        {
            _running = new double[context.WorldSize];
            Array.Fill(_running, double.NaN);
        }

        var own = Norm(_own.AsSpan(context.ChunkOffset, chunk.Length));
        var c = context.ChunkIndex;
        if (_runningIteration != context.Iteration || double.IsNaN(_running[c]))
        {
            // Each chunk is received once per iteration, so this updates every chunk's average once per iteration.
            _running[c] = double.IsNaN(_running[c]) ? own : (decay * _running[c]) + ((1 - decay) * own);
        }

        _runningIteration = context.Iteration;
        var bound = multiplier * context.Contributors * Math.Max(_running[c], own);
        var norm = Norm(chunk);
        if (!(norm > bound) || bound <= 0)
        {
            return ReceiveVerdict.Accept;
        }

        var factor = double.IsFinite(norm) ? bound / norm : 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = float.IsFinite(chunk[i]) ? (float)(chunk[i] * factor) : 0f;
        }

        if (_flaggedIteration != context.Iteration && norm > flagFactor * bound)
        {
            _flaggedIteration = context.Iteration;
            context.Detections.Flag(
                context.SenderRank,
                $"partial-sum-clipping: partial sum of chunk {c} ({context.Contributors} contributors) has norm {norm:G4}, above the running bound {bound:G4}",
                exclude);
        }

        return ReceiveVerdict.Accept;
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }
}
