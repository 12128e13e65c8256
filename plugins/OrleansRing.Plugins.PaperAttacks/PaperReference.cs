namespace OrleansRing.Plugins.PaperAttacks;

internal static class PaperReference
{
    public const string Citation = "Wang, Liu, Guo, Liu, Yao: Exploring the Impact of Attacks on Ring AllReduce, APNet 2021";
}
