using OrleansRing.Training;
using TorchSharp;

namespace OrleansRing.Training.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_LoadsAndComputes_MatrixProduct()
    {
        TorchRuntime.EnsureInitialized();

        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var product = torch.matmul(a, b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void TorchSharp_ShimPresent_OnlyWhereSystemLibstdcxxLacksVersion()
    {
        TorchRuntime.EnsureInitialized();

        var systemHasVersion = SystemLibstdcxx.HasVersion("GLIBCXX_3.4.32");

        if (systemHasVersion)
        {
            Assert.Null(TorchRuntime.LibstdcxxShim);
        }
        else
        {
            Assert.NotNull(TorchRuntime.LibstdcxxShim);
        }
    }

    [Fact]
    public void ApplyIntraOpThreads_ThreadThatComputedBeforeChange_AdoptsNewCount()
    {
        var original = TorchRuntime.IntraOpThreads;
        var target = original == 1 ? 2 : 1;
        using var changed = new ManualResetEventSlim();
        using var computed = new ManualResetEventSlim();
        int before = 0, stale = 0, applied = 0;
        var worker = new Thread(() =>
        {
            using (var x = torch.randn(128, 128))
            using (var y = x.matmul(x))
            {
                before = torch.get_num_threads();
            }
            computed.Set();
            changed.Wait();
            stale = torch.get_num_threads();
            TorchRuntime.ApplyIntraOpThreadsToCurrentThread();
            applied = torch.get_num_threads();
        });
        try
        {
            TorchRuntime.SetIntraOpThreads(original);
            worker.Start();
            computed.Wait(TestContext.Current.CancellationToken);
            TorchRuntime.SetIntraOpThreads(target);
            changed.Set();
            worker.Join();
        }
        finally
        {
            TorchRuntime.SetIntraOpThreads(original);
        }

        Assert.Equal(original, before);
        // libtorch keeps a per-thread count: the reason ApplyIntraOpThreadsToCurrentThread exists.
        Assert.Equal(original, stale);
        Assert.Equal(target, applied);
    }
}
