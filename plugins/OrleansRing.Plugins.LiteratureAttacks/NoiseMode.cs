namespace OrleansRing.Plugins.LiteratureAttacks;

internal enum NoiseMode
{
    /// <summary>Send the noise itself (ByzFL, FLPoison Gaussian attack).</summary>
    Replace = 0,

    /// <summary>Send the values plus the noise.</summary>
    Add = 1,
}
