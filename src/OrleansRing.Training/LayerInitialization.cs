namespace OrleansRing.Training;

/// <summary>How <see cref="ModelFactory"/> draws a model's initial weights.</summary>
internal enum LayerInitialization
{
    /// <summary>PyTorch's default for Conv2d and Linear: weight and bias uniform in ±1/√fan_in.</summary>
    PyTorchDefault,

    /// <summary>He (Kaiming) uniform for ReLU networks: weight uniform in ±√(6/fan_in), bias zero.</summary>
    He,
}
