using System.Runtime.CompilerServices;

namespace OrleansRing.Training.Tests;

internal static class TestThreads
{
    /// <summary>
    /// One intra-op thread, as each ring worker gets: on a shared machine, OpenMP teams wait at every
    /// barrier for a descheduled member, which made multi-threaded tests an order of magnitude slower.
    /// </summary>
    [ModuleInitializer]
    internal static void UseOneIntraOpThread() => TorchRuntime.SetIntraOpThreads(1);
}
