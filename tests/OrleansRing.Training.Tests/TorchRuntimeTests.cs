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
}
