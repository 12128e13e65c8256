using OrleansRing.Training.Native;
using TorchSharp;

namespace OrleansRing.Training;

/// <summary>Process-wide TorchSharp set-up: native loading and intra-op threads.</summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static bool s_initialized;

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
        torch.set_num_threads(threads);
    }

    /// <summary>The TorchSharp intra-op thread count currently in effect.</summary>
    public static int IntraOpThreads
    {
        get
        {
            EnsureInitialized();
            return torch.get_num_threads();
        }
    }
}
