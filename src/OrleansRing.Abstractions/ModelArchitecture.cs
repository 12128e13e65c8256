namespace OrleansRing.Abstractions;

[GenerateSerializer]
[Alias("orleansring.model-architecture")]
public enum ModelArchitecture
{
    /// <summary>The paper's CNN: 2 convolution + 2 fully connected layers, 878,538 parameters.</summary>
    PaperCnn = 0,

    /// <summary>AlexNet adapted to 32×32 inputs.</summary>
    AlexNet = 1,
}
