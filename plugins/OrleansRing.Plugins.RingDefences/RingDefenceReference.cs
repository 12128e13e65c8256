namespace OrleansRing.Plugins.RingDefences;

internal static class RingDefenceReference
{
    public const string SignVote = "Bernstein et al.: signSGD with Majority Vote, ICLR 2019; Fang, Liu, Zhao, Liu: BRACE, WWW Companion 2025";
    public const string OrleansRing = "OrleansRing (docs/defences.md)";
}
