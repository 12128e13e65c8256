namespace OrleansRing.Training;

/// <summary>A model's score on a held-out set.</summary>
/// <param name="Loss">Mean cross-entropy per image.</param>
/// <param name="Correct">Images classified correctly.</param>
/// <param name="Samples">Images evaluated.</param>
public sealed record EvaluationResult(double Loss, int Correct, int Samples)
{
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
}
