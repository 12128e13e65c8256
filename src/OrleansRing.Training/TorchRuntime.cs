using OrleansRing.Training.Native;
using TorchSharp;

namespace OrleansRing.Training;

/// <summary>Process-wide TorchSharp set-up: native loading and intra-op threads.</summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static bool s_initialized;

    // 0 until SetIntraOpThreads is called: libtorch's own default then applies.
    private static int s_intraOpThreads;

    [ThreadStatic]
    private static int t_appliedIntraOpThreads;

    /// <summary>Path of the libstdc++ shim in use, or null where the system libstdc++ needed none.</summary>
    public static string? LibstdcxxShim { get; private set; }

    /// <summary>Loads the native libraries once. Safe to call from any thread.</summary>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            if (s_initialized)
            {
                return;
            }
            LibstdcxxShim = LibstdcxxShimLoader.EnsureLoaded();
            torch.InitializeDeviceType(DeviceType.CPU);
            s_initialized = true;
        }
    }

    /// <summary>
    /// Sets TorchSharp's intra-op threads for this process. Workers run their compute concurrently
    /// (one task each), so the default gives each concurrently computing worker one thread.
    /// </summary>
    public static void SetIntraOpThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureInitialized();
        Volatile.Write(ref s_intraOpThreads, threads);
        torch.set_num_threads(threads);
        t_appliedIntraOpThreads = threads;
    }

    /// <summary>
    /// Makes the calling thread use the count last given to <see cref="SetIntraOpThreads"/>. libtorch
    /// keeps the count per OS thread once that thread has run a parallel operation, so a thread-pool
    /// thread that computed before a later <see cref="SetIntraOpThreads"/> would otherwise keep the old
    /// count. The trainers call this at the start of every step; it costs a field read when nothing changed.
    /// </summary>
    public static void ApplyIntraOpThreadsToCurrentThread()
    {
        var threads = Volatile.Read(ref s_intraOpThreads);
        if (threads != 0 && t_appliedIntraOpThreads != threads)
        {
            torch.set_num_threads(threads);
            t_appliedIntraOpThreads = threads;
        }
    }

    /// <summary>The TorchSharp intra-op thread count in effect for the calling thread (after applying the process setting).</summary>
    public static int IntraOpThreads
    {
        get
        {
            EnsureInitialized();
            ApplyIntraOpThreadsToCurrentThread();
            return torch.get_num_threads();
        }
    }
}
