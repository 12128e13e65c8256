using System.Reflection;
using System.Runtime.InteropServices;

namespace OrleansRing.Cli.Output;

public sealed record SoftwareVersions(string OrleansRing, string Orleans, string TorchSharp, string DotNet)
{
    public static SoftwareVersions Current { get; } = new(
        Of(typeof(SoftwareVersions).Assembly),
        Of(typeof(IGrainFactory).Assembly),
        Of(typeof(TorchSharp.torch).Assembly),
        RuntimeInformation.FrameworkDescription);

    private static string Of(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
