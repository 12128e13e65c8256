namespace OrleansRing.Training;

/// <summary>A device was asked for that this machine's TorchSharp cannot give (no CUDA build, no GPU, index too high).</summary>
public sealed class TrainingDeviceUnavailableException : Exception
{
    public TrainingDeviceUnavailableException()
    {
    }

    public TrainingDeviceUnavailableException(string message)
        : base(message)
    {
    }

    public TrainingDeviceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
