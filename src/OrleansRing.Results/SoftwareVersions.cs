using System.Reflection;
using System.Runtime.InteropServices;

namespace OrleansRing.Results;

public sealed record SoftwareVersions(string OrleansRing, string Orleans, string TorchSharp, string DotNet)
{
    public static SoftwareVersions Current => new(
        Of(typeof(SoftwareVersions).Assembly),
        Of(typeof(IGrainFactory).Assembly),
        // By name: result files must not pull TorchSharp into every reader of them.
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "TorchSharp") is { } torch ? Of(torch) : "not loaded",
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
