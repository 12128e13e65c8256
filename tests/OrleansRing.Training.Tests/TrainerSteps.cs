namespace OrleansRing.Training.Tests;

internal static class TrainerSteps
{
    /// <summary>Iterations first .. first + count − 1 of one worker on its own: its gradient is the applied one.</summary>
    public static void Run(WorkerTrainer trainer, long first, int count, float[] gradient)
    {
        for (var t = first; t < first + count; t++)
        {
            trainer.ComputeGradient(t, gradient);
            trainer.ApplyGradient(gradient);
        }
    }
}
