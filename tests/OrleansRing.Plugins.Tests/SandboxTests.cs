using System.Diagnostics;
using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

/// <summary>The deliberately broken plugins of tests/OrleansRing.Plugins.FaultyPlugins, loaded like real ones.</summary>
public sealed class SandboxTests
{
    private static readonly PluginSandboxOptions Isolated = new() { Isolation = PluginIsolation.DedicatedThread, TimeLimit = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(PluginIsolation.DedicatedThread)]
    [InlineData(PluginIsolation.Inline)]
    public void ThrowingPlugin_Contribution_FailsNamingPluginAndHook(PluginIsolation isolation)
    {
        using var attack = Catalogs.Faulty.CreateAttack("throwing-attack", Options(isolation));
        float[] gradient = [1f, 2f];

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnContribution(Ring.Contribution(Ring.Attacker()), gradient));

        Assert.Equal("throwing-attack", failure.PluginName);
        Assert.Equal(PluginHook.Contribution, failure.Hook);
        Assert.Equal(PluginFailureReason.Threw, failure.Reason);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.StartsWith("Plugin 'throwing-attack' failed in hook 'contribution': it threw InvalidOperationException: deliberate failure", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 2f], gradient);
    }

    [Fact]
    public void ThrowingPlugin_Labels_FailsNamingLabelsHook()
    {
        using var attack = Catalogs.Faulty.CreateAttack("throwing-attack:hook=labels", Isolated);

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnLabels(Ring.Labels(Ring.Attacker()), new byte[3]));

        Assert.Equal(PluginHook.Labels, failure.Hook);
        Assert.Contains("'labels'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowingPlugin_Transmitted_FailsAndStaysUsable()
    {
        using var attack = Catalogs.Faulty.CreateAttack("throwing-attack:hook=transmitted", Isolated);
        var attacker = Ring.Attacker();

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.AllGather), new float[2]));
        attack.OnContribution(Ring.Contribution(attacker), new float[2]);

        Assert.Equal(PluginHook.Transmitted, failure.Hook);
        Assert.Contains("'transmitted'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HangingPlugin_PastTimeLimit_FailsInTimeAndIsStopped()
    {
        using var attack = Catalogs.Faulty.CreateAttack(
            "hanging-attack:hang-ms=1500",
            new PluginSandboxOptions { Isolation = PluginIsolation.DedicatedThread, TimeLimit = TimeSpan.FromMilliseconds(150) });
        var attacker = Ring.Attacker();
        float[] chunk = [1f, 2f, 3f];
        var started = Stopwatch.GetTimestamp();

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), chunk));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var again = Assert.Throws<PluginFailureException>(() => attack.OnTransmit(Ring.Transmit(attacker, TransmitPhase.ScatterReduce), chunk));

        Assert.Equal("hanging-attack", failure.PluginName);
        Assert.Equal(PluginHook.Transmitted, failure.Hook);
        Assert.Equal(PluginFailureReason.TimedOut, failure.Reason);
        Assert.Contains("time limit of 150 ms", failure.Message, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(1200), $"the hang was detected only after {elapsed}");
        Assert.Equal(PluginFailureReason.Stopped, again.Reason);
        Assert.Equal([1f, 2f, 3f], chunk); // the late hook works on a private copy, never on the caller's chunk
    }

    [Fact]
    public void HangingPlugin_Inline_IsReportedAfterItReturns()
    {
        using var attack = Catalogs.Faulty.CreateAttack(
            "hanging-attack:hang-ms=200",
            new PluginSandboxOptions { Isolation = PluginIsolation.Inline, TimeLimit = TimeSpan.FromMilliseconds(50) });

        var failure = Assert.Throws<PluginFailureException>(
            () => attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.AllGather), new float[2]));

        Assert.Equal(PluginFailureReason.TimedOut, failure.Reason);
        Assert.Contains("past the time limit of 50 ms", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PluginIsolation.DedicatedThread, -1, "a chunk of 4 values", "3 values")]
    [InlineData(PluginIsolation.DedicatedThread, 2, "a chunk of 4 values", "6 values")]
    [InlineData(PluginIsolation.Inline, -1, "a chunk of 4 values", "3 values")]
    public void WrongLengthPlugin_Transmitted_FailsNamingPluginHookAndLengths(PluginIsolation isolation, int delta, string vector, string replacement)
    {
        using var attack = Catalogs.Faulty.CreateAttack($"wrong-length-attack:delta={delta}", Options(isolation));
        float[] chunk = [1f, 2f, 3f, 4f];

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), chunk));

        Assert.Equal("wrong-length-attack", failure.PluginName);
        Assert.Equal(PluginHook.Transmitted, failure.Hook);
        Assert.Equal(PluginFailureReason.WrongLength, failure.Reason);
        Assert.Contains(vector, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"replacement of {replacement}", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 2f, 3f, 4f], chunk);
    }

    [Fact]
    public void WrongLengthPlugin_Contribution_FailsNamingContributionHook()
    {
        using var attack = Catalogs.Faulty.CreateAttack("wrong-length-attack", Isolated);

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnContribution(Ring.Contribution(Ring.Attacker()), new float[5]));

        Assert.Equal(PluginHook.Contribution, failure.Hook);
        Assert.Contains("a gradient of 5 values", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLabelPlugin_LabelOutsideClasses_FailsAndLeavesLabels()
    {
        using var attack = Catalogs.Faulty.CreateAttack("bad-label-attack", Isolated);
        byte[] labels = [1, 2, 3];

        var failure = Assert.Throws<PluginFailureException>(() => attack.OnLabels(Ring.Labels(Ring.Attacker()), labels));

        Assert.Equal(PluginFailureReason.InvalidResult, failure.Reason);
        Assert.Contains("set label 2 to 10, outside the classes 0..9", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3 }, labels);
    }

    [Fact]
    public void OmniscientAttack_WithoutHonestGradients_IsACallerError()
    {
        using var attack = Catalogs.Attack("alie");

        var error = Assert.Throws<InvalidOperationException>(() => attack.OnContribution(Ring.Contribution(Ring.Attacker()), new float[2]));

        Assert.Contains("pass the honest workers' gradients", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmniscientAttack_HonestGradientOfOtherLength_IsACallerError()
    {
        using var attack = Catalogs.Attack("ipm");

        Assert.Throws<ArgumentException>(() => attack.OnContribution(Ring.Contribution(Ring.Attacker(), [1f, 2f, 3f]), new float[2]));
    }

    [Fact]
    public void DedicatedThread_WorkingAttack_GivesTheInlineResult()
    {
        using var isolated = Catalogs.Attack("mimic:target=1", Isolated);
        using var inline = Catalogs.Attack("mimic:target=1");
        var attacker = Ring.Attacker(rank: 0, worldSize: 3);
        var large = Enumerable.Range(0, 10_000).Select(i => (float)i).ToArray();
        var viaThread = new float[large.Length];
        var viaInline = new float[large.Length];

        isolated.OnContribution(Ring.Contribution(attacker, new float[large.Length], large), viaThread);
        isolated.OnContribution(Ring.Contribution(attacker, new float[large.Length], large), viaThread); // reused buffer
        inline.OnContribution(Ring.Contribution(attacker, new float[large.Length], large), viaInline);

        Assert.Equal(large, viaThread);
        Assert.Equal(viaInline, viaThread);
    }

    [Fact]
    public void DedicatedThread_Stall_ReturnsDelayAndKeepsChunk()
    {
        using var attack = Catalogs.Attack("stall:delay-ms=30", Isolated);
        float[] chunk = [5f, 6f];

        var delay = attack.OnTransmit(Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce), chunk);

        Assert.Equal(TimeSpan.FromMilliseconds(30), delay);
        Assert.Equal([5f, 6f], chunk);
    }

    [Fact]
    public void Disposed_Attack_RefusesCalls()
    {
        var attack = Catalogs.Attack("gradient-flipping", Isolated);
        attack.OnContribution(Ring.Contribution(Ring.Attacker()), new float[1]);

        attack.Dispose();

        Assert.Throws<ObjectDisposedException>(() => attack.OnContribution(Ring.Contribution(Ring.Attacker()), new float[1]));
    }

    [Theory]
    [InlineData(PluginIsolation.Inline)]
    [InlineData(PluginIsolation.DedicatedThread)]
    public void HotPath_TransmitAfterWarmUp_AllocatesNothingOnTheCallingThread(PluginIsolation isolation)
    {
        using var attack = Catalogs.Attack("gradient-ascent:scope=transmitted", Options(isolation));
        var context = Ring.Transmit(Ring.Attacker(), TransmitPhase.ScatterReduce, length: 256);
        var chunk = new float[256];
        for (var i = 0; i < 20; i++)
        {
            attack.OnTransmit(context, chunk); // grows the private buffer, starts the hook thread
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            attack.OnTransmit(context, chunk);
        }

        // A wait handle may lazily create its lock object the first time it really blocks (24 bytes, once); any
        // per-call allocation would show as at least 200 × 24 bytes.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 64, $"{allocated} bytes allocated over 200 sends");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Options_NonPositiveTimeLimit_IsRejected(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PluginSandboxOptions { TimeLimit = TimeSpan.FromMilliseconds(milliseconds) });
    }

    private static PluginSandboxOptions Options(PluginIsolation isolation) =>
        new() { Isolation = isolation, TimeLimit = TimeSpan.FromSeconds(5) };
}
