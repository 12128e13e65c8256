using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class DefenceSandboxTests
{
    private static readonly PluginCatalog Catalog = PluginCatalog.FromFactories([new MisbehavingDefenceFactory()]);

    [Fact]
    public void ThrowingHook_FailsNamingPluginAndHook_AndLeavesTheChunkAsItWas()
    {
        using var defence = Catalog.CreateDefence("misbehaving-defence");
        float[] chunk = [1, 2];
        var context = new ReceiveContext(Defences.Context(0, 2), DefencePhase.AllGather, 0, 1, 0, 0, 2, 2, 1);

        var error = Assert.Throws<PluginFailureException>(() => defence.OnReceive(context, chunk));

        Assert.Equal(PluginHook.Received, error.Hook);
        Assert.Equal(PluginFailureReason.Threw, error.Reason);
        Assert.Contains("misbehaving-defence", error.Message);
        Assert.Equal([1, 2], chunk);
    }

    [Fact]
    public void HangingReduction_TimesOut_StopsTheInstance_AndNeverWritesTheResult()
    {
        using var defence = Catalog.CreateDefence("misbehaving-defence", new PluginSandboxOptions { TimeLimit = TimeSpan.FromMilliseconds(200) });
        var result = new float[2];
        var context = new ReductionContext(Defences.Context(0, 2), 0, 0, 4, [new float[2], new float[2]], 0, ReadOnlyMemory<double>.Empty);

        var timeout = Assert.Throws<PluginFailureException>(() => defence.Reduce(context, result));
        MisbehavingDefence.Release.Set();
        var stopped = Assert.Throws<PluginFailureException>(() => defence.Reduce(context, result));

        Assert.Equal(PluginFailureReason.TimedOut, timeout.Reason);
        Assert.Equal(PluginHook.Reduction, timeout.Hook);
        Assert.Equal(PluginFailureReason.Stopped, stopped.Reason);
        Assert.Equal([0, 0], result);
    }

    [Fact]
    public void AttackFactory_IsNotADefence_AndTheErrorListsTheDefences()
    {
        var error = Assert.Throws<PluginSelectionException>(() => Catalogs.BuiltIn.CreateDefence("gradient-flipping"));

        Assert.Contains("is an attack, not a defence", error.Message);
        Assert.Contains("trimmed-mean", error.Message);
    }
}
