using OrleansRing.Data;

namespace OrleansRing.Grains.Data;

/// <summary>A resolved data source: the images, their normalisation and the test images evaluation uses.</summary>
public sealed record LoadedDataset(DatasetSplit Split, ChannelStatistics Normalization, ImageDataset EvaluationSet);
