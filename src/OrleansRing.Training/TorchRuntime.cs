using OrleansRing.Training.Native;
using TorchSharp;

namespace OrleansRing.Training;

/// <summary>Process-wide TorchSharp set-up: native loading, intra-op threads and what CUDA it sees.</summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static bool s_initialized;
    private static int? s_cudaDeviceCount;

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
    /// True when the natives beside the app are TorchSharp's CUDA build (TorchSharp-cuda-linux ships libtorch_cuda.so;
    /// TorchSharp-cpu does not). Only says which build is loaded, not whether a GPU is visible.
    /// </summary>
    public static bool CudaBuildLoaded
    {
        get
        {
            var baseDirectory = AppContext.BaseDirectory;
            return File.Exists(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libtorch_cuda.so"))
                || File.Exists(Path.Combine(baseDirectory, "libtorch_cuda.so"))
                || File.Exists(Path.Combine(baseDirectory, "runtimes", "win-x64", "native", "torch_cuda.dll"));
        }
    }

    /// <summary>CUDA devices TorchSharp reports: 0 with the CPU build or without a visible GPU.</summary>
    public static int CudaDeviceCount
    {
        get
        {
            EnsureInitialized();
            lock (s_gate)
            {
                // is_available() loads the CUDA natives if present and answers false, without throwing, if not.
                s_cudaDeviceCount ??= torch.cuda.is_available() ? torch.cuda.device_count() : 0;
                return s_cudaDeviceCount.Value;
            }
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
