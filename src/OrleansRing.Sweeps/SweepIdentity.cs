using System.Security.Cryptography;
using System.Text;

namespace OrleansRing.Sweeps;

/// <summary>
/// A stable sweep id: its name and a hash of its experiments' ids (which hash their configurations). The same file
/// submitted twice, or the same grid written differently, has the same id, so a submission can attach to the sweep
/// it repeats instead of starting a second one.
/// </summary>
public static class SweepIdentity
{
    public const int HashLength = 12;

    public static string For(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (sweep.Name == SweepFileParser.RunName && sweep.Experiments.Count == 1)
        {
            return sweep.Experiments[0].Id; // a single run is known by its experiment's id
        }
        var ids = string.Join('\n', sweep.Experiments.Select(e => e.Id).Order(StringComparer.Ordinal));
        return $"{sweep.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..HashLength]}";
    }
}
