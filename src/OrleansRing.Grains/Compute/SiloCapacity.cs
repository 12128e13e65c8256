using System.Globalization;

namespace OrleansRing.Grains.Compute;

/// <summary>
/// What a silo offers worker placement: its GPUs and the workers each of its devices computes at once. A CPU silo has
/// no GPU and one device, the CPU. Silos advertise it as Orleans silo metadata (<see cref="ToMetadata"/>); the
/// placement director reads it back with <see cref="TryRead"/>.
/// </summary>
public sealed record SiloCapacity
{
    public const string GpusKey = "orleansring.gpus";
    public const string SlotsPerDeviceKey = "orleansring.slots-per-device";

    public SiloCapacity(int gpus, int slotsPerDevice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotsPerDevice, 1);
        Gpus = gpus;
        SlotsPerDevice = slotsPerDevice;
    }

    /// <summary>CUDA devices the silo trains on (0: a CPU silo).</summary>
    public int Gpus { get; }

    /// <summary>Workers one device computes at the same time.</summary>
    public int SlotsPerDevice { get; }

    public bool HasGpu => Gpus > 0;

    /// <summary>Workers the whole silo computes at the same time.</summary>
    public int Slots => Math.Max(1, Gpus) * SlotsPerDevice;

    public Dictionary<string, string> ToMetadata() => new(StringComparer.Ordinal)
    {
        [GpusKey] = Gpus.ToString(CultureInfo.InvariantCulture),
        [SlotsPerDeviceKey] = SlotsPerDevice.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The capacity in a silo's metadata; false when it has none or an unreadable one (a silo of another build).</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> metadata, out SiloCapacity? capacity)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        capacity = null;
        if (metadata.TryGetValue(GpusKey, out var gpusText) && metadata.TryGetValue(SlotsPerDeviceKey, out var slotsText)
            && int.TryParse(gpusText, NumberStyles.None, CultureInfo.InvariantCulture, out var gpus)
            && int.TryParse(slotsText, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) && slots >= 1)
        {
            capacity = new SiloCapacity(gpus, slots);
            return true;
        }
        return false;
    }

    public override string ToString() => HasGpu
        ? $"{Gpus} GPU{(Gpus == 1 ? "" : "s")} × {SlotsPerDevice} worker slot{(SlotsPerDevice == 1 ? "" : "s")}"
        : $"CPU, {SlotsPerDevice} worker slot{(SlotsPerDevice == 1 ? "" : "s")}";
}
