namespace OrleansRing.Training;

/// <summary>What one worker's forward pass on one batch measured, against the labels it trained on.</summary>
/// <param name="Loss">Mean cross-entropy over the batch.</param>
/// <param name="Correct">Images whose arg-max logit equals their (possibly transformed) label.</param>
/// <param name="Samples">Batch size.</param>
public sealed record BatchMetrics(double Loss, int Correct, int Samples)
{
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
}
