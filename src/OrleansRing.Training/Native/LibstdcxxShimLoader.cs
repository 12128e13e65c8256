using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansRing.Training.Native;

/// <summary>
/// Makes the libstdc++ shim built by build/TorchSharpOnOlderLibstdcxx.targets globally visible before
/// libLibTorchSharp.so is loaded. The shim only exists in outputs built on a system whose libstdc++
/// lacks GLIBCXX_3.4.32; elsewhere this does nothing.
/// </summary>
internal static partial class LibstdcxxShimLoader
{
    internal const string ShimFileName = "libOrleansRingIosBaseShim.so";
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;
    private static int s_loaded;

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "The shim must be global before any TorchSharp type in this assembly runs.")]
    internal static void LoadOnModuleInitialization() => EnsureLoaded();

    /// <summary>Loads the shim once; returns its path, or null where none was needed.</summary>
    internal static string? EnsureLoaded()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate))
            {
                continue;
            }
            if (Interlocked.Exchange(ref s_loaded, 1) == 1)
            {
                return candidate;
            }
            if (dlopen(candidate, RtldNow | RtldGlobal) == IntPtr.Zero)
            {
                var reason = Marshal.PtrToStringAnsi(dlerror()) ?? "unknown dlopen error";
                throw new DllNotFoundException($"Could not load the libstdc++ shim {candidate}: {reason}");
            }
            return candidate;
        }
        return null;
    }

    private static IEnumerable<string> Candidates()
    {
        var baseDirectory = AppContext.BaseDirectory;
        yield return Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", ShimFileName);
        yield return Path.Combine(baseDirectory, ShimFileName);
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string fileName, int flags);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial IntPtr dlerror();
}
