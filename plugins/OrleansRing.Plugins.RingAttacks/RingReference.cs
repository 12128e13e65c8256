namespace OrleansRing.Plugins.RingAttacks;

internal static class RingReference
{
    public const string InTransit = "OrleansRing: in-transit tampering inside ring all-reduce (no anchor implements it)";
    public const string Dissensus = "After the dissensus attack of He, Karimireddy, Jaggi 2022, adapted to allgather";
}
