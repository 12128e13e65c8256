namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.data-source-kind")]
public enum DataSourceKind
{
    /// <summary>Deterministic synthetic CIFAR-shaped data generated from a seed: the embedded default.</summary>
    Synthetic = 0,

    /// <summary>CIFAR-10 in its official binary format, a folder or a .tar.gz archive readable by every silo.</summary>
    Cifar10 = 1,
}
