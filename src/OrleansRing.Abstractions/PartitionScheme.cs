namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.partition-scheme")]
public enum PartitionScheme
{
    Iid = 0,
    Dirichlet = 1,
}
