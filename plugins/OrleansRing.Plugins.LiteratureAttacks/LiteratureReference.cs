namespace OrleansRing.Plugins.LiteratureAttacks;

internal static class LiteratureReference
{
    public const string Blanchard = "Blanchard et al., NeurIPS 2017 (Gaussian attack; ByzFL, FLPoison)";
    public const string AllenZhu = "Allen-Zhu et al., ICLR 2021 (ByzFL SignFlipping)";
    public const string Xie = "Xie, Koyejo, Gupta, UAI 2020";
    public const string Baruch = "Baruch, Baruch, Goldberg, NeurIPS 2019";
    public const string Shejwalkar = "Shejwalkar, Houmansadr, NDSS 2021";
    public const string Karimireddy = "Karimireddy, He, Jaggi, ICLR 2022";
    public const string ByzFl = "ByzFL (LPD-EPFL)";
}
