namespace OrleansRing.Plugins.RobustReductions;

internal static class ReductionReference
{
    public const string Median = "Yin, Chen, Ramchandran, Bartlett: Byzantine-Robust Distributed Learning, ICML 2018";
    public const string Krum = "Blanchard, El Mhamdi, Guerraoui, Stainer: Machine Learning with Adversaries, NeurIPS 2017 (ByzFL's definition)";
    public const string KrumAfterNnm = Krum + "; after nearest-neighbour mixing: Allouah et al., Fixing by Mixing, AISTATS 2023";
    public const string GeometricMedian = "Pillutla, Kakade, Harchaoui: Robust Aggregation for Federated Learning (smoothed Weiszfeld, ByzFL defaults)";
    public const string CenteredClipping = "Karimireddy, He, Jaggi: Learning from History for Byzantine Robust Optimization, ICML 2021 (fedlib defaults)";
    public const string Bulyan = "El Mhamdi, Guerraoui, Rouault: The Hidden Vulnerability of Distributed Learning in Byzantium, ICML 2018";
    public const string Mda = "El Mhamdi, Guerraoui, Rouault: Distributed Momentum for Byzantine-resilient Stochastic Gradient Descent, ICLR 2021";
    public const string Average = "the plain mean, with optional pre-aggregation and outlier detection";
}
