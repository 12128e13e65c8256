using System.Text;

namespace OrleansRing.Training.Tests;

internal static class SystemLibstdcxx
{
    private static readonly string[] s_candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
    ];

    public static bool HasVersion(string version)
    {
        var path = s_candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No libstdc++.so.6 found in the standard library folders.");
        return File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }
}
