using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Tests;

public sealed class MisbehavingDefence : IDefence
{
    public static readonly ManualResetEventSlim Release = new(false);

    public DefenceHooks Hooks => DefenceHooks.Received | DefenceHooks.Reduction;

    public ReceiveVerdict OnReceive(in ReceiveContext context, Span<float> chunk)
    {
        chunk[0] = 42;
        throw new InvalidOperationException("broken check");
    }

    public double[]? Reduce(in ReductionContext context, Span<float> result)
    {
        Release.Wait();
        result.Fill(13);
        return null;
    }
}
