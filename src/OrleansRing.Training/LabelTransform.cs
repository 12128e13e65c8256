namespace OrleansRing.Training;

/// <summary>
/// Rewrites a batch's labels in place before the forward pass (label-flipping attacks). The span is a
/// private copy; the dataset is never changed. Every label must stay below the class count.
/// </summary>
public delegate void LabelTransform(Span<byte> labels);
